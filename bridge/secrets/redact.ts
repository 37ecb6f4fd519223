// Stream keys are secrets: every text that leaves the bridge (answers, events, logs, errors, kept
// program output) goes through here first.

export const REDACTED = "•••";

/**
 * Replaces every known secret (as is, and URL-encoded) in `text`, then the path tail of any
 * rtmp(s) URL after its application (`rtmp://host/app/<key>`), which is where programs print keys.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is replaced whole.
  for (const variant of [...variants].sort((a, b) => b.length - a.length)) {
    out = out.split(variant).join(REDACTED);
  }
  return redactUrlKeys(out);
}

// The key ends at white space, a quote, or the ": " ffmpeg puts after a URL before its error.
const RTMP_URL_TAIL = /(rtmps?:\/\/[^\s/'"]+\/[^\s/'"]+\/)([^\s'":]+)/gi;

/** `rtmp://host/app/KEY` → `rtmp://host/app/•••` (anything after the application is a key). */
export function redactUrlKeys(text: string): string {
  return text.replace(RTMP_URL_TAIL, (_match, head: string, tail: string) => (tail === REDACTED ? head + tail : head + REDACTED));
}

/** The set of secrets the bridge knows now; the logger and the API read it on every write. */
export class SecretRegistry {
  #secrets = new Set<string>();

  /** Replaces the known secrets (call after every config change). */
  set(secrets: Iterable<string>): void {
    this.#secrets = new Set([...secrets].filter((secret) => secret.length > 0));
  }

  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  values(): ReadonlySet<string> {
    return this.#secrets;
  }
}

// Why a relay failed, in the streamer's words and with what to do, from ffmpeg's own lines. ffmpeg's
// last line is often the least telling ("End of file", "Input/output error"): the cause is an earlier
// line (a host name not found, the platform's own refusal, a certificate). Pure: tested on captured lines.

export interface RelayFailure {
  /** What went wrong and what to do, followed by ffmpeg's line for reference. */
  message: string;
  /** Trying again the same way would fail the same way (untrusted certificate, refused stream): give up at once. */
  repeatable: boolean;
}

interface Rule {
  pattern: RegExp;
  explain: (match: RegExpExecArray) => string;
  repeatable: boolean;
}

const RULES: Rule[] = [
  {
    pattern: /certificate|verify failed|not trusted|issuer is unknown|self[- ]signed|unable to get local issuer/i,
    explain: () =>
      "The platform's certificate is not trusted, so the stream key was not sent. If this server uses its own " +
      "certificate authority, set tls.caFile to that CA's file; otherwise check the server URL and this computer's clock",
    repeatable: true,
  },
  {
    pattern: /Server error: (.+)$/i,
    explain: (match) =>
      `The platform refused the stream (it said "${match[1]!.trim()}"): check the stream key and the server URL on the platform's page`,
    repeatable: true,
  },
  {
    pattern: /Failed to resolve hostname ([^\s:]+)/i,
    explain: (match) => `The server name ${match[1]} was not found: check the server URL for typos, and that this computer is online`,
    repeatable: false,
  },
  {
    pattern: /Connection to tcp:\/\/([^\s?]+)\S* failed: Connection refused/i,
    explain: (match) => `Nothing accepted the connection at ${match[1]}: check the server URL and port (or the platform is down)`,
    repeatable: false,
  },
  {
    pattern: /Connection to tcp:\/\/([^\s?]+)\S* failed: .*timed out/i,
    explain: (match) => `${match[1]} did not answer: check the server URL and port, or a firewall blocking that port`,
    repeatable: false,
  },
  {
    pattern: /\[tls @|handshake|\bTLS\b|\bSSL\b|pull function|push function/i,
    explain: () =>
      "The secure (RTMPS) connection failed: check that the URL starts with rtmps:// and names the platform's TLS port (usually 443)",
    repeatable: false,
  },
  {
    pattern: /^(rtmps?:\/\/\S+): (End of file|Input\/output error|Broken pipe|Connection reset by peer)$/i,
    explain: () =>
      "The platform closed the connection: usually a wrong or expired stream key, or a wrong application in the server URL. " +
      "Check both on the platform's page",
    repeatable: false,
  },
];

/** `[tcp @ 0x55d0…] Failed to …` → `Failed to …`: the address of ffmpeg's context means nothing to anyone. */
export function withoutContextPrefix(line: string): string {
  return line.replace(/^\[[a-z0-9_]+ @ 0x[0-9a-f]+\]\s*/i, "");
}

/**
 * The explanation of a failed relay from its (already redacted) error lines, or null when none fits.
 * Lines about `ignoreUrl` (the relay's input) never count as the platform's.
 */
export function explainRelayFailure(lines: readonly string[], ignoreUrl?: string): RelayFailure | null {
  const relevant = lines.map((line) => line.trim()).filter((line) => line !== "" && !(ignoreUrl && line.includes(ignoreUrl)));
  for (const rule of RULES) {
    for (const line of [...relevant].reverse()) {
      const match = rule.pattern.exec(withoutContextPrefix(line));
      if (match) return { message: `${rule.explain(match)}. (ffmpeg: ${withoutContextPrefix(line)})`, repeatable: rule.repeatable };
    }
  }
  return null;
}

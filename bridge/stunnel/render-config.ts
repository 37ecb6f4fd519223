// Renders the config of one stunnel client: a loopback port the relay pushes plain RTMP to, wrapped
// in TLS to the platform, with the certificate chain, the host name and SNI checked. Pure.

export interface StunnelClientInput {
  /** Section name (the destination id). */
  name: string;
  acceptPort: number;
  host: string;
  port: number;
  verify: boolean;
  /** CA bundle to trust; required when verify is on. */
  caFile: string | null;
  /** stunnel on Windows (tstunnel.exe) takes no Unix-only options. */
  windows?: boolean;
}

export function renderStunnelConfig(input: StunnelClientInput): string {
  const lines = [
    "; Written by the Relay bridge for one destination: edits here are lost.",
    // Unix only: stay in the foreground (the bridge supervises it), no pid file (the bridge keeps its own).
    ...(input.windows ? [] : ["foreground = yes", "pid ="]),
    // info: the "Accepting new connections" line tells the bridge it is ready.
    "debug = info",
    "",
    `[${input.name}]`,
    "client = yes",
    `accept = 127.0.0.1:${input.acceptPort}`,
    `connect = ${input.host.includes(":") ? `[${input.host}]` : input.host}:${input.port}`,
    `sni = ${input.host}`,
  ];
  if (input.verify) {
    lines.push("verifyChain = yes", `checkHost = ${input.host}`);
    if (input.caFile) lines.push(`CAfile = ${input.caFile}`);
  } else {
    lines.push("verifyChain = no", "verifyPeer = no");
  }
  lines.push("");
  return lines.join("\n");
}

/** Where an rtmps URL points: host, port (443 by default) and the path after it. */
export function tlsTarget(url: string): { host: string; port: number; path: string } {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  return { host, port: parsed.port ? Number(parsed.port) : 443, path: parsed.pathname + parsed.search };
}

/** stunnel's line once it listens on its accept port. */
export function isReadyLine(line: string): boolean {
  return /Accepting new connections/.test(line);
}

/** Lines of stunnel's log that explain a failed TLS connection: its warnings and errors (LOG0-4) only. */
export function isTlsFailureLine(line: string): boolean {
  if (!/LOG[0-4]\[/.test(line)) return false;
  return /certificate|verify|CERT:|SSL_connect|handshake|Connection refused|No route to host|timed out|s_connect|getaddrinfo|Name or service not known/i.test(
    line,
  );
}

/** A streamer-readable reason for stunnel's failure lines, or null. */
export function explainStunnelFailure(lines: readonly string[]): string | null {
  const text = lines.join("\n");
  if (/certificate|CERT:|verify/i.test(text)) {
    const detail = lines.filter((line) => /certificate|CERT:|verify/i.test(line)).at(-1) ?? "";
    return `certificate refused: the server could not prove it is the platform, so the stream key was not sent (${detail.replace(/^.*LOG\d\[[^\]]*\]:\s*/, "").trim()})`;
  }
  if (/Connection refused/i.test(text)) return "the platform refused the connection (stunnel: Connection refused)";
  if (/getaddrinfo|Name or service not known|No such host/i.test(text)) return "the platform's host name could not be resolved (stunnel)";
  if (/timed out/i.test(text)) return "the connection to the platform timed out (stunnel)";
  return null;
}

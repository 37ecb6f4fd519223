// The system's CA bundle for stunnel (ffmpeg finds the system trust on its own).

import { access } from "node:fs/promises";
import { win32 } from "node:path";

/** Places a CA bundle may be, most likely first, for this OS and stunnel binary. */
export function caBundleCandidates(platform: NodeJS.Platform, stunnelBinary: string): string[] {
  if (platform === "win32") {
    // The stunnel installer ships its own bundle beside bin\ in config\.
    const bin = win32.dirname(stunnelBinary);
    return [win32.join(bin, "..", "config", "ca-certs.pem"), win32.join(bin, "ca-certs.pem")];
  }
  return [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
    "/opt/homebrew/etc/ca-certificates/cert.pem",
    "/usr/local/etc/ca-certificates/cert.pem",
    "/opt/homebrew/etc/openssl@3/cert.pem",
    "/usr/local/etc/openssl@3/cert.pem",
  ];
}

/** The configured CA file, else the first bundle found; null when there is none. */
export async function findCaBundle(configured: string, stunnelBinary: string): Promise<string | null> {
  const candidates = configured !== "" ? [configured] : caBundleCandidates(process.platform, stunnelBinary);
  for (const candidate of candidates) {
    try {
      await access(candidate);
      return candidate;
    } catch {
      // next
    }
  }
  return null;
}

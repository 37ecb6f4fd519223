// Turns nginx's own error lines into what a streamer should do about them.

import { installHint } from "../binaries/programs.mjs";

/** A readable explanation of nginx's last lines, or null when none of the known causes match. */
export function explainNginxError(lines: readonly string[], ingestPort: number): string | null {
  const text = lines.join("\n");
  if (/Address already in use|address already in use|10048/.test(text)) {
    return `port ${ingestPort} is already taken by another program (another nginx or RTMP server?): stop it, or set ingest.port to a free port and point OBS at it`;
  }
  if (/unknown directive "rtmp"/.test(text)) {
    return `this nginx has no RTMP module: ${installHint("nginx")}`;
  }
  if (/Permission denied|10013/.test(text) && /bind\(\)/.test(text)) {
    return `nginx may not listen on port ${ingestPort} (ports below 1024 need privileges): use 1935 or another high port`;
  }
  if (/module .* is not binary compatible/.test(text)) {
    return "the RTMP module was built for another nginx version: install the matching libnginx-mod-rtmp";
  }
  return null;
}

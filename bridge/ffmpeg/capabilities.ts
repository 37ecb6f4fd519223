// What the ffmpeg in use can do: whether it can push rtmps itself (`transport: auto` needs it).

import { execa } from "execa";

/** Output protocols from `ffmpeg -protocols`. */
export function parseOutputProtocols(text: string): string[] {
  const output = text.split(/^Output:\s*$/m)[1] ?? "";
  return output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^[a-z0-9_]+$/.test(line));
}

const cache = new Map<string, Promise<boolean>>();

/** True when this ffmpeg binary can push rtmps (probed once per binary). */
export function supportsRtmps(ffmpeg: string): Promise<boolean> {
  let probe = cache.get(ffmpeg);
  if (!probe) {
    probe = execa(ffmpeg, ["-hide_banner", "-protocols"], { reject: false, windowsHide: true }).then((result) =>
      parseOutputProtocols(`${result.stdout}`).includes("rtmps"),
    );
    cache.set(ffmpeg, probe);
  }
  return probe;
}

// Which font files the key PNGs are drawn with on each OS. The WebAssembly renderer cannot ask the
// OS for its fonts, so it is handed the files of the families the key images name.

import { readFile } from "node:fs/promises";

/** Font files to try, in order, for `platform`: regular and bold of Segoe UI, Helvetica, Arial or DejaVu Sans. */
export function keyFontCandidates(platform: NodeJS.Platform, env: Record<string, string | undefined>): string[] {
  if (platform === "win32") {
    const fonts = `${env.WINDIR ?? env.SystemRoot ?? "C:\\Windows"}\\Fonts`;
    return ["segoeui.ttf", "segoeuib.ttf", "arial.ttf", "arialbd.ttf"].map((file) => `${fonts}\\${file}`);
  }
  if (platform === "darwin") {
    return [
      "/System/Library/Fonts/Helvetica.ttc",
      "/System/Library/Fonts/Supplemental/Arial.ttf",
      "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
      "/Library/Fonts/Arial.ttf",
    ];
  }
  return [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
  ];
}

/** The contents of every candidate that exists (missing ones are skipped: text then falls back). */
export async function loadKeyFonts(candidates: readonly string[]): Promise<Uint8Array[]> {
  const loaded = await Promise.all(candidates.map((file) => readFile(file).then((data) => new Uint8Array(data), () => undefined)));
  return loaded.filter((data) => data !== undefined);
}

// The font files the WebAssembly renderer is handed on each OS (it cannot ask the OS itself): the
// families the key images name, regular and bold, and only files that exist are loaded.

import { describe, expect, it } from "vitest";
import { keyFontCandidates, loadKeyFonts } from "../../../bridge/render/key-fonts.js";

describe("key fonts", () => {
  it("names Segoe UI and Arial on Windows (in its Fonts folder), Helvetica and Arial on macOS, DejaVu Sans on Linux", () => {
    expect(keyFontCandidates("win32", { WINDIR: "D:\\Windows" })).toEqual(["D:\\Windows\\Fonts\\segoeui.ttf", "D:\\Windows\\Fonts\\segoeuib.ttf", "D:\\Windows\\Fonts\\arial.ttf", "D:\\Windows\\Fonts\\arialbd.ttf"]);
    expect(keyFontCandidates("darwin", {})).toContain("/System/Library/Fonts/Helvetica.ttc");
    expect(keyFontCandidates("linux", {}).slice(0, 2)).toEqual(["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"]);
  });

  it("loads the files that exist and skips the others", async () => {
    const fonts = await loadKeyFonts(["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/nowhere/font.ttf"]);
    expect(fonts).toHaveLength(1);
    // A TrueType file starts with version 1.0.
    expect([...fonts[0]!.subarray(0, 4)]).toEqual([0, 1, 0, 0]);
  });
});

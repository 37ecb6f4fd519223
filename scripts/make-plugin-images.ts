// Draws the Stream Deck plugin's icons and default key images (com.relay.sdPlugin/imgs) as PNGs at
// the sizes the manifest schema asks for, each with its @2x twin. Shapes only, no text, so the
// result does not depend on the fonts of the machine that runs it. Run: npx tsx scripts/make-plugin-images.ts

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";

const IMGS = join(dirname(fileURLToPath(import.meta.url)), "..", "com.relay.sdPlugin", "imgs");
const BRAND = "#5b3fd1";
const KEY_BACKGROUND = "#161616";

/** One source to many: a dot on the left fanning out to three on the right (drawn in a 24 box). */
function fanGlyph(color: string): string {
  return (
    `<g fill="none" stroke="${color}" stroke-width="2" stroke-linecap="round">` +
    `<path d="M6 12 L17 5"/><path d="M6 12 L17 12"/><path d="M6 12 L17 19"/></g>` +
    `<g fill="${color}"><circle cx="5" cy="12" r="3"/><circle cx="18.5" cy="5" r="2.2"/>` +
    `<circle cx="18.5" cy="12" r="2.2"/><circle cx="18.5" cy="19" r="2.2"/></g>`
  );
}

/** A broadcast mark: a dot between two pairs of arcs (drawn in a 24 box). */
function broadcastGlyph(color: string): string {
  return (
    `<circle cx="12" cy="12" r="2.6" fill="${color}"/>` +
    `<g fill="none" stroke="${color}" stroke-width="2" stroke-linecap="round">` +
    `<path d="M8 8 A5.6 5.6 0 0 0 8 16"/><path d="M16 8 A5.6 5.6 0 0 1 16 16"/>` +
    `<path d="M5 5 A9.9 9.9 0 0 0 5 19"/><path d="M19 5 A9.9 9.9 0 0 1 19 19"/></g>`
  );
}

/** Signal going in: an arrow into an open box (drawn in a 24 box). */
function inputGlyph(color: string): string {
  return (
    `<g fill="none" stroke="${color}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">` +
    `<path d="M9 4 H19 A1.5 1.5 0 0 1 20.5 5.5 V18.5 A1.5 1.5 0 0 1 19 20 H9"/>` +
    `<path d="M3 12 H14"/><path d="M10 8 L14 12 L10 16"/></g>`
  );
}

/** A glyph in its 24 box, scaled and centred in a `size` square with `inset` margin. */
function place(glyph: string, size: number, inset: number, yOffset = 0): string {
  const scale = (size - 2 * inset) / 24;
  return `<g transform="translate(${inset} ${inset + yOffset}) scale(${scale})">${glyph}</g>`;
}

function svg(size: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${body}</svg>`;
}

/** Default key image: the dark key of the live renderer, a badge bar on top and the action's glyph. */
function keyImage(badgeColor: string, glyph: (color: string) => string): string {
  return svg(
    72,
    `<rect width="72" height="72" fill="${KEY_BACKGROUND}"/>` +
      `<rect x="7" y="6" width="58" height="20" rx="5" fill="${badgeColor}" stroke="#000000" stroke-opacity="0.35"/>` +
      place(glyph("#d0d0d0"), 72, 20, 12),
  );
}

const images: Array<{ path: string; size: number; svg: string }> = [
  {
    path: "plugin/marketplace",
    size: 256,
    svg: svg(256, `<rect x="8" y="8" width="240" height="240" rx="48" fill="${BRAND}"/>` + place(fanGlyph("#ffffff"), 256, 44)),
  },
  { path: "plugin/category-icon", size: 28, svg: svg(28, place(fanGlyph("#ffffff"), 28, 1)) },
  { path: "actions/destination/icon", size: 20, svg: svg(20, place(broadcastGlyph("#ffffff"), 20, 0)) },
  { path: "actions/ingest/icon", size: 20, svg: svg(20, place(inputGlyph("#ffffff"), 20, 0)) },
  { path: "actions/all/icon", size: 20, svg: svg(20, place(fanGlyph("#ffffff"), 20, 0)) },
  { path: "actions/destination/key", size: 72, svg: keyImage("#607d8b", broadcastGlyph) },
  { path: "actions/ingest/key", size: 72, svg: keyImage("#3d3d3d", inputGlyph) },
  { path: "actions/all/key", size: 72, svg: keyImage(BRAND, fanGlyph) },
];

for (const image of images) {
  for (const [suffix, scale] of [["", 1], ["@2x", 2]] as const) {
    const file = join(IMGS, `${image.path}${suffix}.png`);
    mkdirSync(dirname(file), { recursive: true });
    const png = new Resvg(image.svg, { fitTo: { mode: "width", value: image.size * scale } }).render().asPng();
    writeFileSync(file, png);
    console.log(`${file.slice(IMGS.length + 1)}  ${image.size * scale}×${image.size * scale}`);
  }
}

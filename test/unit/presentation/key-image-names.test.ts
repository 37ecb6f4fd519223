// A destination's name is drawn on its key whatever a hand edit put in it: characters XML cannot
// hold are dropped, so the SVG stays well-formed and the PNG is drawn.

import { describe, expect, it } from "vitest";
import { escapeXml, renderDestinationKey } from "../../../presentation/key-image.js";
import { rasterize } from "../../../bridge/render/svg-to-png.js";
import { destinationView } from "../../../rig/status-views.js";

describe("key image names", () => {
  it("drops what XML cannot hold and escapes markup", () => {
    expect(escapeXml("A\u0000B\u0007C\uFFFE\uD800<&>\"'")).toBe("ABC&#60;&#38;&#62;&#34;&#39;");
    expect(escapeXml("😀 tab\there")).toBe("😀 tab\there");
  });

  it("draws a key for a name with a NUL and other XML-invalid characters", async () => {
    const view = destinationView({ id: "bad", name: "You\u0000Tube\u0001\uFFFF\uDC00" });
    const svg = renderDestinationKey(view, { now: 0, reachable: true });
    expect(svg).not.toMatch(/[\u0000-\u0008\uFFFF]/);
    const png = await rasterize(svg, 72);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  }, 30_000);
});

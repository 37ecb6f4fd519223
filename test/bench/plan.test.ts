import { describe, expect, it } from "vitest";
import { parsePlan, SECTIONS } from "../../bench/options.js";
import { DIRECT_RELAY, RELAY_VARIANTS, hasInputOption, withInputOption, withOutputOption, withoutInputOption, withoutOutputOption } from "../../bench/relay-variants.js";
import { buildRelayArgs } from "../../bridge/ffmpeg/relay-args.js";
import { clipArgs, clipFileName } from "../../bench/media/clip.js";
import { obsStandInArgs } from "../../rig/obs-stand-in.js";
import { renderPushConfig } from "../../bench/nginx-push-anchor.js";

describe("the benchmark's command line", () => {
  it("runs everything, in full, by default", () => {
    const plan = parsePlan([], 7);
    expect(plan).toMatchObject({ quick: false, seed: 7, outDir: "docs", sections: [...SECTIONS] });
    expect(plan.toggles.map((toggle) => toggle.gopSeconds)).toEqual([1, 2, 4, 8]);
    // Enough toggles at random phases per GOP, ≥ 50 toggles of one destination for the neighbours, and the
    // relay before the data plane in the same rounds at every GOP (before/after in one run).
    for (const toggle of plan.toggles) expect(toggle.cycles).toBeGreaterThanOrEqual(20);
    expect(plan.toggles.find((toggle) => toggle.gopSeconds === 2)!.cycles).toBeGreaterThanOrEqual(25);
    for (const toggle of plan.toggles) expect(toggle.variantTrials).toBeGreaterThan(0);
    expect(plan.obsDrop).toMatchObject({ goneSeconds: [2, 5, 20], freeze: true });
    expect(plan.hungPlatform.hangSeconds).toBe(40);
    expect(plan.cost.counts).toEqual([1, 10, 20]);
  });
  it("has a quick mode with fewer samples", () => {
    const quick = parsePlan(["--quick", "--seed", "3", "--only", "toggles,cost", "--out", "/tmp/x"], 7);
    expect(quick).toMatchObject({ quick: true, seed: 3, sections: ["toggles", "cost"], outDir: "/tmp/x" });
    expect(quick.toggles[0]!.cycles).toBeLessThan(parsePlan([], 7).toggles[0]!.cycles);
    expect(quick.toggles.map((toggle) => toggle.gopSeconds)).toEqual([1, 2, 4, 8]);
    expect(quick.hungPlatform.hangSeconds).toBeLessThan(40);
  });
  it("refuses what it does not know, with the usage", () => {
    expect(() => parsePlan(["--fast"], 1)).toThrow(/unknown argument --fast[\s\S]*Usage/);
    expect(() => parsePlan(["--only", "toggles,nope"], 1)).toThrow(/unknown section nope/);
    expect(() => parsePlan(["--seed"], 1)).toThrow(/needs a value/);
    expect(() => parsePlan(["--seed", "x"], 1)).toThrow(/integer/);
  });
});

describe("relay variants", () => {
  const args = ["-hide_banner", "-fflags", "nobuffer", "-analyzeduration", "500000", "-i", "rtmp://in/live/s", "-c", "copy", "-f", "flv", "rtmp://out/app/k"];
  it("removes and sets input options before -i only", () => {
    expect(withoutInputOption(args, "-fflags")).toEqual(["-hide_banner", "-analyzeduration", "500000", "-i", "rtmp://in/live/s", "-c", "copy", "-f", "flv", "rtmp://out/app/k"]);
    expect(withInputOption(args, "-analyzeduration", "0")).toEqual(["-hide_banner", "-fflags", "nobuffer", "-analyzeduration", "0", "-i", "rtmp://in/live/s", "-c", "copy", "-f", "flv", "rtmp://out/app/k"]);
    expect(hasInputOption(withInputOption(args, "-tcp_nodelay", "1"), "-tcp_nodelay", "1")).toBe(true);
  });
  it("sets output options just before the output URL, once", () => {
    const once = withOutputOption(args, "-tcp_nodelay", "1");
    expect(once.slice(-3)).toEqual(["-tcp_nodelay", "1", "rtmp://out/app/k"]);
    expect(withOutputOption(once, "-tcp_nodelay", "0").filter((arg) => arg === "-tcp_nodelay")).toHaveLength(1);
  });
  it("starts from the product's own command line for a relay reading nginx, and keeps input and output URLs", () => {
    const direct = buildRelayArgs({ inputUrl: "rtmp://in/live/s", outputUrl: "rtmp://out/app/k" });
    expect(RELAY_VARIANTS[0]!.name).toBe(DIRECT_RELAY);
    expect(RELAY_VARIANTS[0]!.args("rtmp://in/live/s", "rtmp://out/app/k")).toEqual(direct);
    for (const variant of RELAY_VARIANTS) {
      const built = variant.args("rtmp://in/live/s", "rtmp://out/app/k");
      expect(built[built.indexOf("-i") + 1]).toBe("rtmp://in/live/s");
      expect(built.at(-1)).toBe("rtmp://out/app/k");
    }
    const before = RELAY_VARIANTS.find((variant) => variant.name.startsWith("flags before"))!.args("rtmp://in/live/s", "rtmp://out/app/k");
    expect(hasInputOption(before, "-fflags", "nobuffer")).toBe(true);
    expect(hasInputOption(before, "-fpsprobesize")).toBe(false);
    expect(before).not.toContain("-tcp_nodelay");
    const defaults = RELAY_VARIANTS.find((variant) => variant.name === "ffmpeg defaults")!.args("rtmp://in/live/s", "rtmp://out/app/k");
    for (const option of ["-fflags", "-analyzeduration", "-probesize", "-fpsprobesize", "-tcp_nodelay"]) expect(defaults).not.toContain(option);
  });
  it("removes an output option, never the output URL", () => {
    expect(withoutOutputOption(["-i", "in", "-c", "copy", "-tcp_nodelay", "1", "out"], "-tcp_nodelay")).toEqual(["-i", "in", "-c", "copy", "out"]);
    expect(withoutOutputOption(["-i", "in", "-c", "copy", "out"], "-c")).toEqual(["-i", "in", "out"]);
  });
});

describe("media and anchor set-up", () => {
  const spec = { gopSeconds: 2, videoKbps: 6000, fps: 30, size: "1280x720", seconds: 20 };
  it("encodes a CBR clip with a fixed GOP, named by its parameters", () => {
    const args = clipArgs(spec, "/tmp/clip.flv");
    expect(args[args.indexOf("-g") + 1]).toBe("60");
    expect(args[args.indexOf("-keyint_min") + 1]).toBe("60");
    expect(args[args.indexOf("-sc_threshold") + 1]).toBe("0");
    expect(args[args.indexOf("-x264-params") + 1]).toContain("nal-hrd=cbr");
    expect(clipFileName(spec)).not.toBe(clipFileName({ ...spec, gopSeconds: 1 }));
  });
  it("publishes the clip in a loop at its real pace without re-encoding", () => {
    expect(obsStandInArgs({ clip: "/c.flv", url: "rtmp://x/live/obs" })).toEqual(expect.arrayContaining(["-re", "-stream_loop", "-1", "-c", "copy"]));
  });
  it("renders an nginx push anchor with one push line per target", () => {
    const conf = renderPushConfig({ dir: "/tmp/a", port: 5555, pushTo: ["rtmp://127.0.0.1:1/app/a", "rtmp://127.0.0.1:1/app/b"], modulePath: "/m.so" });
    expect(conf.match(/^\s+push rtmp:/gm)).toHaveLength(2);
    expect(conf).toContain("listen 127.0.0.1:5555;");
    expect(conf).toContain("load_module /m.so;");
  });
});

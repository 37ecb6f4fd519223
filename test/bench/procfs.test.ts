import { describe, expect, it } from "vitest";
import { cpuPercent, parseProcStat, parseSchedstat, parseSmapsRollup } from "../../bench/procfs.js";
import { keyImageTitle } from "../../rig/stream-deck-host.js";

describe("/proc parsers", () => {
  it("reads a stat line whose name holds spaces and parentheses", () => {
    const line = "4242 (ffmpeg (relay) x) S 4000 4242 4000 0 -1 4194304 900 0 0 0 1234 567 0 0 20 0 1 0 81638 3133440 392 18446744073709551615";
    expect(parseProcStat(line)).toEqual({ pid: 4242, name: "ffmpeg (relay) x", state: "S", ppid: 4000, cpuTicks: 1801 });
  });
  it("turns two readings into % of a core", () => {
    const before = parseProcStat("1 (a) S 0 0 0 0 0 0 0 0 0 0 100 0 0 0");
    const after = parseProcStat("1 (a) S 0 0 0 0 0 0 0 0 0 0 150 0 0 0");
    expect(cpuPercent(before, after, 10_000)).toBeCloseTo(5);
  });
  it("reads PSS, its anonymous part and RSS from smaps_rollup", () => {
    const text = "56485c396000-7fffdee16000 ---p 00000000 00:00 0 [rollup]\nRss:               55940 kB\nPss:               32678 kB\nPss_Dirty:         13416 kB\nPss_Anon:          13416 kB\nPss_File:          19262 kB\n";
    expect(parseSmapsRollup(text)).toEqual({ pssKb: 32678, pssAnonKb: 13416, rssKb: 55940 });
  });
  it("reads a schedstat line", () => {
    expect(parseSchedstat("135917373 192691317 488\n")).toBe(135917373);
    expect(() => parseSchedstat("")).toThrow();
  });
});

describe("key image titles", () => {
  it("reads the title of a URL-encoded or base64 SVG data URL", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>YouTube: live, 6.2 Mbit/s &amp; more</title></svg>';
    expect(keyImageTitle(`data:image/svg+xml,${encodeURIComponent(svg)}`)).toBe("YouTube: live, 6.2 Mbit/s & more");
    expect(keyImageTitle(`data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`)).toBe("YouTube: live, 6.2 Mbit/s & more");
    expect(keyImageTitle(undefined)).toBeUndefined();
  });
});

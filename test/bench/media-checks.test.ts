import { describe, expect, it } from "vitest";
import { backwardSteps, firstKeyframeAfter, memoryTrend, obsPictureBack, perRelay, sessionFiles, startsOnKeyframe, type SeenMessage } from "../../bench/media-checks.js";
import { describeTrial, logLinesSince, statesOf } from "../../bench/measure/obs-drop.js";

const video = (at: number, timestamp: number, bytes = 20_000, keyframe = false): SeenMessage => ({ at, kind: "video", keyframe, sequenceHeader: false, timestamp, bytes });
const audio = (at: number, timestamp: number): SeenMessage => ({ at, kind: "audio", keyframe: false, sequenceHeader: false, timestamp, bytes: 300 });
const header = (at: number, timestamp: number): SeenMessage => ({ at, kind: "video", keyframe: true, sequenceHeader: true, timestamp, bytes: 50 });

describe("timestamps going backwards", () => {
  it("finds steps back on each track, not between tracks", () => {
    // Audio a little behind video is normal interleaving, not a step back.
    const messages = [video(0, 100), audio(1, 90), video(2, 133), audio(3, 113), video(4, 166)];
    expect(backwardSteps(messages)).toEqual({ count: 0, worstMs: 0, firstAt: null });
  });
  it("counts each step back, the worst, and the first one's time, inside the window only", () => {
    const messages = [video(0, 5000), video(10, 5033), video(20, 40), audio(21, 4000), audio(22, 30), video(30, 73), video(40, 10)];
    expect(backwardSteps(messages)).toEqual({ count: 3, worstMs: 4993, firstAt: 20 });
    expect(backwardSteps(messages, 25)).toEqual({ count: 1, worstMs: 63, firstAt: 40 });
  });
  it("leaves codec headers out (they carry the timestamp of their switch)", () => {
    expect(backwardSteps([video(0, 5000), header(1, 0), video(2, 5033)]).count).toBe(0);
  });
});

describe("OBS's picture back at the platform", () => {
  const obs = [video(1000, 21, 34_674, true), video(3000, 2021, 41_832, true)];
  it("takes the first platform keyframe that is one of OBS's, recognised by its size among the stand-in's", () => {
    const platform = [video(900, 9000, 8051, true), video(990, 9033, 40), video(1010, 9066, 8051, true), video(3020, 11_000, 41_832, true), video(3050, 11_033, 25_000)];
    const back = obsPictureBack(platform, obs, 950);
    expect(back?.message.at).toBe(3020);
    expect(back?.keyframeIndex).toBe(1);
    expect(obsPictureBack([...platform, video(1015, 9070, 34_674, true)].sort((a, b) => a.at - b.at), obs, 950)?.keyframeIndex).toBe(0);
  });
  it("says never when OBS's picture did not come", () => {
    expect(obsPictureBack([video(1010, 9066, 8051, true)], obs, 950)).toBeUndefined();
  });
  it("finds OBS's first keyframe after it came back, headers left out", () => {
    expect(firstKeyframeAfter([video(900, 0, 30_000, true), header(1000, 0), video(1001, 21, 34_674, true)], 950)?.at).toBe(1001);
  });
  it("tells whether a platform started on a keyframe", () => {
    expect(startsOnKeyframe([audio(10, 0), video(11, 0, 30_000, true)], 5)).toBe(true);
    expect(startsOnKeyframe([video(11, 0, 20_000, false)], 5)).toBe(false);
    expect(startsOnKeyframe([video(1, 0)], 5)).toBeNull();
  });
});

describe("sessions, states and logs around a drop", () => {
  it("counts one recorded file per publish of a stream", () => {
    const files = ["/r/bench_hold1-1764500000.flv", "/r/bench_hold1-1764500031.flv", "/r/bench_hold2-1764500000.flv", "C:\\r\\bench_hold10-1.flv"];
    expect(sessionFiles(files, "bench_hold1")).toBe(2);
    expect(sessionFiles(files, "bench_hold2")).toBe(1);
    expect(sessionFiles(files, "bench_hold3")).toBe(0);
  });
  it("lists the states a destination went through, without repeats", () => {
    const event = (at: number, state: string) => ({ at, status: { destinations: [{ id: "a", state }, { id: "b", state: "live" }] } });
    const events = [event(1, "live"), event(5, "holding"), event(6, "holding"), event(9, "live"), event(20, "stopping")];
    expect(statesOf(events, "a", 2, 10)).toEqual(["holding", "live"]);
    expect(statesOf(events, "b", 0, 30)).toEqual(["live"]);
  });
  it("keeps the bridge's log lines from a time on that match", () => {
    const log = "2026-11-30T13:47:24.166Z INFO  [bridge] ingest \"obs\" ended\nnot a line\n2026-11-30T13:47:30.000Z INFO  [relay:a] live → holding\n2026-11-30T13:47:31.000Z DEBUG something else\n";
    expect(logLinesSince(log, Date.parse("2026-11-30T13:47:25Z"), /holding|ingest/)).toEqual(["2026-11-30T13:47:30.000Z INFO  [relay:a] live → holding"]);
  });
  it("names a drop for the report", () => {
    expect(describeTrial({ kind: "gone", seconds: 20 })).toBe("OBS gone 20 s");
    expect(describeTrial({ kind: "freeze", seconds: 2 })).toBe("OBS frozen, a new encoder after 2 s");
  });
});

describe("memory and shares", () => {
  it("sees a flat series as flat, and growth in the second half as growth", () => {
    const flat = memoryTrend([0, 1, 2, 3, 4, 5].map((atSeconds) => ({ atSeconds, rssMb: 100, pssMb: atSeconds === 1 ? 78 : 70 })));
    expect(flat.lateGrowthMb).toBe(-8);
    expect(flat.maxPssMb).toBe(78);
    const growing = memoryTrend([0, 1, 2, 3, 4, 5].map((atSeconds) => ({ atSeconds, rssMb: 100 + atSeconds, pssMb: 70 + atSeconds })));
    expect(growing.lateGrowthMb).toBe(3);
    expect(growing.slopeMbPerMinute).toBeCloseTo(60);
    expect(growing.maxRssMb).toBe(105);
    expect(memoryTrend([{ atSeconds: 0, rssMb: 1, pssMb: 1 }]).lateGrowthMb).toBeNaN();
  });
  it("shares a process's use above its idle level among the relays", () => {
    expect(perRelay(12, 2, 10)).toBe(1);
    expect(perRelay(12, 2, 0)).toBeNaN();
  });
});

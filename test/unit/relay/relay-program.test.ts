import { describe, expect, it } from "vitest";
import { explainRelayExit, framesPerMediaSecond, keepsRelayLine, RelayProgress, relayStop } from "../../../bridge/ffmpeg/relay-program.js";

const block = (frame: number, size: number, us: number) => [`frame=${frame}`, "fps=30", `total_size=${size}`, `out_time_us=${us}`, "progress=continue"];

describe("relay program", () => {
  it("reads progress blocks: media shown, numbers changed, and measures growth for the watchdog", () => {
    const progress = new RelayProgress(0);
    expect(progress.progressSeen).toBe(false);
    const push = (lines: string[], now: number) => lines.map((line) => progress.push(line, now)).at(-1);
    expect(push(block(0, 540, 0), 100)).toMatchObject({ showsMedia: false });
    expect(progress.progressSeen).toBe(true);
    expect(push(block(10, 100_000, 400_000), 500)).toMatchObject({ showsMedia: true, numbersChanged: true });
    expect(progress.stalled(4_500, 4_000)).toBe(false);
    push(block(20, 100_000, 800_000), 4_000); // no growth
    expect(progress.stalled(4_501, 4_000)).toBe(true);
    // Reported once per stallMs.
    expect(progress.stalled(4_600, 4_000)).toBe(false);
  });

  it("measures its speed against real time over the last 5 s, and is behind when that is below 0.9", () => {
    const progress = new RelayProgress(0);
    const push = (lines: string[], now: number) => lines.forEach((line) => progress.push(line, now));
    push(block(0, 540, 0), 0);
    expect(progress.speed).toBeNull();
    // Real time: one second of media a second.
    for (let s = 1; s <= 6; s += 1) push(block(s * 30, s * 100_000, s * 1_000_000), s * 1000);
    expect(progress.speed).toBeCloseTo(1, 5);
    expect(progress.behind).toBe(false);
    // Then 0.6 s of media a second: one such second is not enough (4.6 s of media in the last 5 s)…
    let media = 6_000_000;
    push(block(210, 700_000, (media += 600_000)), 7000);
    expect(progress.speed).toBeCloseTo(0.92, 2);
    expect(progress.behind).toBe(false);
    // …two are (4.2 s in 5 s), and it stays behind while slow.
    push(block(240, 800_000, (media += 600_000)), 8000);
    expect(progress.behind).toBe(true);
    for (let s = 9; s <= 12; s += 1) push(block(s * 30, s * 100_000, (media += 600_000)), s * 1000);
    expect(progress.speed).toBeCloseTo(0.6, 2);
    expect(progress.behind).toBe(true);
    // Caught up again.
    for (let s = 13; s <= 18; s += 1) push(block(s * 30, s * 100_000, (media += 1_000_000)), s * 1000);
    expect(progress.behind).toBe(false);
  });

  it("measures the frame rate in frames per second of media over the last 5 s, not ffmpeg's burst-inflated fps", () => {
    const progress = new RelayProgress(0);
    const push = (lines: string[], now: number) => lines.forEach((line) => progress.push(line, now));
    const at = (frame: number, us: number, fps: number) => [`frame=${frame}`, `fps=${fps}`, "total_size=1000", `out_time_us=${us}`, "progress=continue"];
    // A start: the cached 2 s burst reaches ffmpeg in a fraction of a second, ffmpeg says 43.6.
    push(at(60, 2_000_000, 43.6), 500);
    expect(progress.fps).toBe(30);
    for (let s = 1; s <= 10; s += 1) push(at(60 + s * 30, 2_000_000 + s * 1_000_000, 43.6), 500 + s * 1000);
    expect(progress.fps).toBe(30);
    // The stream changes to 25 fps: within the window the figure moves to it.
    for (let s = 11; s <= 17; s += 1) push(at(360 + (s - 10) * 25, 2_000_000 + s * 1_000_000, 30), 500 + s * 1000);
    expect(progress.fps).toBe(25);
    expect(progress.sentBytes).toBe(1000);
  });

  it("reads no frame rate from audio alone or before media time moves", () => {
    expect(framesPerMediaSecond({ frame: 0, outUs: 0 }, { frame: 0, outUs: 0 })).toBe(0);
    expect(framesPerMediaSecond({ frame: 0, outUs: 1_000_000 }, { frame: 0, outUs: 3_000_000 })).toBe(0);
    expect(framesPerMediaSecond({ frame: 30, outUs: 1_000_000 }, { frame: 60, outUs: 1_000_000 })).toBe(60);
  });

  it("measures what reaches the network per real second from the bytes written, not media time", () => {
    const progress = new RelayProgress(0);
    const push = (lines: string[], now: number) => lines.forEach((line) => progress.push(line, now));
    push(block(0, 540, 0), 0);
    expect(progress.sentKbps).toBeNull();
    expect(progress.outMs).toBeNull();
    // 2.5 Mbit/s of media, but the link takes 100 kB a second (800 kbit/s).
    for (let s = 1; s <= 6; s += 1) push(block(s * 30, 540 + s * 100_000, s * 1_000_000), s * 1000);
    expect(progress.sentKbps).toBe(800);
    expect(progress.outMs).toBe(6000);
  });

  it("stops gracefully once progress came, kills before", () => {
    expect(relayStop(false)).toEqual({ kill: true });
    expect(relayStop(true, 700)).toEqual({ kill: false, options: { signal: "SIGINT", endInput: true, graceMs: 700 } });
  });

  it("keeps stderr, reads stdout", () => {
    expect(keepsRelayLine("error", "stderr")).toBe(true);
    expect(keepsRelayLine("progress=continue", "stdout")).toBe(false);
  });

  it("explains an exit from the platform's error lines, never from lines about its input", () => {
    const args = ["-i", "rtmp://127.0.0.1:1935/live/obs", "rtmp://127.0.0.1:1/app/***"];
    const verdict = explainRelayExit({
      requested: false,
      reason: "code 1",
      lines: ["Error opening input rtmp://127.0.0.1:1935/live/obs: Connection to tcp://127.0.0.1:1935 failed: Connection refused", "rtmp://127.0.0.1:1/app/***: Input/output error"],
      args,
      outside: null,
    });
    expect(verdict.error).toMatch(/^The platform closed the connection/);
    expect(verdict.error).toContain("(ffmpeg: rtmp://127.0.0.1:1/app/***: Input/output error)");
    expect(explainRelayExit({ requested: true, reason: "signal SIGINT", lines: ["Server error: x"], args, outside: null })).toEqual({ error: null, repeatable: false });
    expect(explainRelayExit({ requested: false, reason: "signal SIGKILL", lines: ["just chatter"], args, outside: null })).toEqual({
      error: "ffmpeg exited (signal SIGKILL)",
      repeatable: false,
    });
  });
});

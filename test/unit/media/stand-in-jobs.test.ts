// Stand-in encodes one at a time with the latest format winning, the clips kept, and the largest
// picture a stand-in is made for.

import { describe, expect, it } from "vitest";
import { clipsToKeep, LatestJobQueue, standInSizeProblem } from "../../../bridge/media/stand-in-jobs.js";

describe("LatestJobQueue", () => {
  it("runs one job at a time: 8 formats asked within a second make two encodes, the first and the last", async () => {
    const queue = new LatestJobQueue<string>();
    let running = 0;
    let most = 0;
    const ran: string[] = [];
    const finish: Array<() => void> = [];
    const job = (key: string) => async () => {
      running += 1;
      most = Math.max(most, running);
      ran.push(key);
      await new Promise<void>((resolve) => finish.push(resolve));
      running -= 1;
      return `clip ${key}`;
    };
    const asked = Array.from({ length: 8 }, (_, index) => queue.ask(`sps${index}`, job(`sps${index}`)));
    expect(queue.running).toBe("sps0");
    expect(queue.waiting).toBe("sps7");
    finish.shift()!();
    await asked[0];
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(queue.running).toBe("sps7");
    finish.shift()!();
    expect(await Promise.all(asked)).toEqual(["clip sps0", null, null, null, null, null, null, "clip sps7"]);
    expect(ran).toEqual(["sps0", "sps7"]);
    expect(most).toBe(1);
  });

  it("answers a key asked again with the job already running or waiting, and goes on after a failure", async () => {
    const queue = new LatestJobQueue<string>();
    let release!: () => void;
    const first = queue.ask("a", () => new Promise((_, reject) => (release = () => reject(new Error("ffmpeg failed")))));
    expect(queue.ask("a", async () => "never")).toBe(first);
    const second = queue.ask("b", async () => "clip b");
    expect(queue.ask("b", async () => "never")).toBe(second);
    release();
    await expect(first).rejects.toThrow("ffmpeg failed");
    expect(await second).toBe("clip b");
  });
});

describe("stand-in limits", () => {
  it("keeps the clips of the streams read now and the 4 made last", () => {
    const keep = clipsToKeep(["a", "b", "c", "d", "e", "f", "g"], new Set(["a"]));
    expect([...keep].sort()).toEqual(["a", "d", "e", "f", "g"]);
  });

  it("refuses an absurd picture size with a message that says what and how to fix it", () => {
    expect(standInSizeProblem(1920, 1080)).toBeNull();
    expect(standInSizeProblem(8192, 4320)).toBeNull();
    const problem = standInSizeProblem(16_777_216, 720);
    expect(problem).toMatch(/16777216×720 pixels, larger than a stand-in picture can be made/);
    expect(problem).toMatch(/output resolution/);
    expect(standInSizeProblem(8192, 8192)).not.toBeNull();
  });
});

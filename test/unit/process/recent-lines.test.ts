import { describe, expect, it } from "vitest";
import { RecentLines } from "../../../bridge/process/recent-lines.js";

describe("RecentLines", () => {
  it("keeps only the last `limit` lines, oldest first", () => {
    const lines = new RecentLines({ limit: 3 });
    for (const n of [1, 2, 3, 4, 5]) lines.push(`line ${n}`);
    expect(lines.texts()).toEqual(["line 3", "line 4", "line 5"]);
    expect(lines.size).toBe(3);
  });

  it("redacts every line before keeping it", () => {
    const lines = new RecentLines({ limit: 5, redact: (text) => text.replaceAll("sk_live_123", "***") });
    expect(lines.push("rtmp://a.example/app/sk_live_123: End of file")).toBe("rtmp://a.example/app/***: End of file");
    expect(lines.texts().join("\n")).not.toContain("sk_live_123");
  });

  it("gives the lines after a mark, even once earlier ones dropped out", () => {
    const lines = new RecentLines({ limit: 4 });
    lines.push("old run 1");
    lines.push("old run 2");
    const mark = lines.mark();
    for (const n of [1, 2, 3]) lines.push(`new run ${n}`);
    expect(lines.texts(mark)).toEqual(["new run 1", "new run 2", "new run 3"]);
    expect(lines.texts()).toEqual(["old run 2", "new run 1", "new run 2", "new run 3"]);
  });

  it("times each line with its clock and sums up the last lines for a message", () => {
    let now = 1_000;
    const lines = new RecentLines({ limit: 10, now: () => now });
    lines.push("a");
    now = 2_000;
    lines.push("  ");
    lines.push("b");
    expect(lines.entries().map((entry) => entry.at)).toEqual([1_000, 2_000, 2_000]);
    expect(lines.tail()).toBe(": a | b");
    expect(new RecentLines({ limit: 1 }).tail()).toBe("");
  });

  it("refuses a limit below one", () => {
    expect(() => new RecentLines({ limit: 0 })).toThrow(/at least 1 line/);
  });
});

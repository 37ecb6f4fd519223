import { describe, expect, it } from "vitest";
import { isPublishNameAccepted, logName, sourceStreamName, streamNameLabel } from "../../../bridge/ingest/stream-names.js";

const KEY = "obs_K3y";

describe("ingest stream names", () => {
  it("without ingest.key takes any name, and a source is the stream name itself", () => {
    expect(isPublishNameAccepted("", "anything")).toBe(true);
    expect(sourceStreamName("", "vertical")).toBe("vertical");
    expect(streamNameLabel("", "vertical")).toBe("vertical");
  });

  it("with ingest.key takes only KEY and KEY-suffix: a source name alone is refused", () => {
    expect(isPublishNameAccepted(KEY, KEY)).toBe(true);
    expect(isPublishNameAccepted(KEY, `${KEY}-cam2`)).toBe(true);
    for (const name of ["cam2", "guess", `${KEY}-`, `${KEY}x`, `${KEY}_cam2`, KEY.slice(0, -1), KEY.toUpperCase(), `cam2-${KEY}`]) {
      expect(isPublishNameAccepted(KEY, name), name).toBe(false);
    }
  });

  it("with ingest.key a source names KEY-SOURCE (a source written in full is kept)", () => {
    expect(sourceStreamName(KEY, "cam2")).toBe(`${KEY}-cam2`);
    expect(sourceStreamName(KEY, `${KEY}-cam2`)).toBe(`${KEY}-cam2`);
  });

  it("hides the key wherever a name is shown", () => {
    expect(streamNameLabel(KEY, KEY)).toBe("•••");
    expect(streamNameLabel(KEY, `${KEY}-cam2`)).toBe("•••-cam2");
    expect(streamNameLabel(KEY, "cam2")).toBe("cam2");
  });

  it("quotes a name for the log on one line: line breaks and control characters escaped, long names cut", () => {
    const forged = "obs\n2026-12-07T23:00:00.000Z INFO  [bridge] destination youtube live\r\u2028\u0085\u0000";
    const quoted = logName(forged);
    expect(quoted).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(quoted).toBe('"obs\\n2026-12-07T23:00:00.000Z INFO  [bridge] destination youtube live\\r\\u2028\\u0085\\u0000"');
    expect(logName("obs")).toBe('"obs"');
    expect(logName("x".repeat(500))).toBe(`"${"x".repeat(128)}…"`);
  });
});

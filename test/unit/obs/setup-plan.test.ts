import { describe, expect, it } from "vitest";
import { ingestServerFor, isLoopback, makeIngestKey, planRestore, planSetup, pointsAtIngest, type ObsService } from "../../../bridge/obs/setup-plan.js";

const ingest = { host: "0.0.0.0", port: 1935, app: "live" };
const youtube: ObsService = { type: "rtmp_common", settings: { service: "YouTube - RTMPS", server: "auto", key: "yt-secret" } };
const relay = (server = "rtmp://127.0.0.1:1935/live", key = "k1"): ObsService => ({ type: "rtmp_custom", settings: { server, key } });

describe("where OBS reaches the ingest", () => {
  it("uses 127.0.0.1 when OBS is on this machine", () => {
    expect(ingestServerFor(ingest, "127.0.0.1", undefined)).toEqual({ server: "rtmp://127.0.0.1:1935/live" });
    expect(ingestServerFor({ ...ingest, host: "127.0.0.1", port: 2000 }, "localhost", undefined)).toEqual({ server: "rtmp://127.0.0.1:2000/live" });
    expect(isLoopback("::1")).toBe(true);
  });

  it("uses this machine's address as OBS sees it when OBS runs elsewhere", () => {
    expect(ingestServerFor(ingest, "192.168.1.20", "::ffff:192.168.1.10")).toEqual({ server: "rtmp://192.168.1.10:1935/live" });
    expect(ingestServerFor({ ...ingest, host: "192.168.1.10" }, "192.168.1.20", undefined)).toEqual({ server: "rtmp://192.168.1.10:1935/live" });
  });

  it("says why OBS elsewhere cannot reach an ingest on loopback", () => {
    const result = ingestServerFor({ ...ingest, host: "127.0.0.1" }, "192.168.1.20", "192.168.1.10");
    expect(result).toEqual({ problem: expect.stringContaining("set ingest.host to 0.0.0.0") });
  });
});

describe("set-up and restore plans", () => {
  it("recognises OBS pointed at the ingest by port and application, whatever the host name", () => {
    expect(pointsAtIngest(relay(), ingest)).toBe(true);
    expect(pointsAtIngest(relay("rtmp://studio.lan:1935/live/"), ingest)).toBe(true);
    expect(pointsAtIngest(relay("rtmp://127.0.0.1:1936/live"), ingest)).toBe(false);
    expect(pointsAtIngest(relay("rtmp://127.0.0.1:1935/other"), ingest)).toBe(false);
    expect(pointsAtIngest(youtube, ingest)).toBe(false);
  });

  it("keeps the platform's settings and points OBS at Relay", () => {
    const plan = planSetup(youtube, "rtmp://127.0.0.1:1935/live", "k1", ingest);
    expect(plan.keep).toBe(youtube);
    expect(plan.apply).toEqual({ type: "rtmp_custom", settings: { server: "rtmp://127.0.0.1:1935/live", key: "k1", use_auth: false, bwtest: false } });
    expect(plan.alreadySetUp).toBe(false);
  });

  it("a second set-up keeps what the first one kept (never Relay's own settings)", () => {
    const plan = planSetup(relay(), "rtmp://127.0.0.1:1935/live", "k1", ingest);
    expect(plan.keep).toBeUndefined();
    expect(plan.alreadySetUp).toBe(true);
    expect(planSetup(relay(undefined, "old"), "rtmp://127.0.0.1:1935/live", "k1", ingest).alreadySetUp).toBe(false);
  });

  it("restores what was kept, refuses when nothing was, and flags settings changed since", () => {
    expect(planRestore(relay(), youtube, ingest)).toEqual({ kind: "restore", apply: youtube });
    expect(planRestore(relay(), undefined, ingest)).toEqual({ kind: "nothing-kept" });
    const twitch: ObsService = { type: "rtmp_common", settings: { service: "Twitch", key: "tw" } };
    expect(planRestore(twitch, youtube, ingest)).toEqual({ kind: "changed-since", apply: youtube });
  });

  it("makes url-safe 24-character keys", () => {
    const key = makeIngestKey(new Uint8Array(Array.from({ length: 24 }, (_, i) => i * 11)));
    expect(key).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});

import { describe, expect, it } from "vitest";
import { backoffDelay, RELAY_BACKOFF } from "../../bridge/process/backoff.js";
import { isLoopbackHost, parseCli } from "../../bridge/cli-options.js";
import { deriveId, parseDestinationPatch } from "../../bridge/config/destination-input.js";
import { hostName, isAllowedHost, isCrossOrigin, requestToken, safeEqual } from "../../bridge/http/security.js";
import { IngestTracker } from "../../bridge/ingest/ingest-tracker.js";
import { createLogger } from "../../bridge/log/logger.js";
import { parseNotice } from "../../bridge/nginx/notify-server.js";

describe("backoff", () => {
  it("grows, is capped, and jitters within its spread", () => {
    expect(backoffDelay(1, RELAY_BACKOFF, 0.5)).toBe(1000);
    expect(backoffDelay(2, RELAY_BACKOFF, 0.5)).toBe(2000);
    expect(backoffDelay(20, RELAY_BACKOFF, 0.5)).toBe(30_000);
    expect(backoffDelay(1, RELAY_BACKOFF, 0)).toBe(800);
    expect(backoffDelay(1, RELAY_BACKOFF, 0.999)).toBeLessThanOrEqual(1200);
  });
});

describe("command line", () => {
  it("reads options, with the command line over the environment", () => {
    expect(parseCli(["--config", "/c.json", "--port", "9000"], { RELAY_PORT: "1", RELAY_HOST: "0.0.0.0", RELAY_TOKEN: "t" })).toEqual({
      configFile: "/c.json",
      host: "0.0.0.0",
      port: 9000,
      token: "t",
      help: false,
      version: false,
    });
    expect(parseCli([], { RELAY_CONFIG: "/e.json" }).configFile).toBe("/e.json");
  });
  it("refuses bad ports and unknown options with a readable message", () => {
    expect(() => parseCli(["--port", "99999"], {})).toThrow(/--port \/ RELAY_PORT must be a port/);
    expect(() => parseCli(["--prot", "1"], {})).toThrow(/Unknown option/);
  });
  it("knows loopback addresses", () => {
    expect(["127.0.0.1", "127.1.2.3", "localhost", "::1"].every(isLoopbackHost)).toBe(true);
    expect(["0.0.0.0", "192.168.1.2", "example.org"].some(isLoopbackHost)).toBe(false);
  });
});

describe("destination input", () => {
  it("derives unique slug ids from names", () => {
    expect(deriveId("YouTube Main!", new Set())).toBe("youtube-main");
    expect(deriveId("YouTube", new Set(["youtube", "youtube-2"]))).toBe("youtube-3");
    expect(deriveId("🎥", new Set())).toBe("destination");
  });
  it("never lets a patch change the id", () => {
    expect(() => parseDestinationPatch({ id: "other" })).toThrow(/id: cannot be changed/);
    expect(parseDestinationPatch({ enabled: true })).toEqual({ enabled: true });
  });
});

describe("security rules", () => {
  it("compares tokens", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("", "abc")).toBe(false);
  });
  it("reads the token from the header or the query", () => {
    expect(requestToken("Bearer xyz", undefined)).toBe("xyz");
    expect(requestToken(undefined, "q")).toBe("q");
    expect(requestToken("Basic Zm9v", undefined)).toBeUndefined();
  });
  it("accepts IP literals, localhost and configured names as Host", () => {
    expect(isAllowedHost("127.0.0.1:8787", [])).toBe(true);
    expect(isAllowedHost("[::1]:8787", [])).toBe(true);
    expect(isAllowedHost("localhost:8787", [])).toBe(true);
    expect(isAllowedHost("192.168.1.5", [])).toBe(true);
    expect(isAllowedHost("studio.lan:8787", ["studio.lan"])).toBe(true);
    expect(isAllowedHost("evil.example", [])).toBe(false);
    expect(isAllowedHost(undefined, [])).toBe(false);
    expect(hostName("[::1]:80")).toBe("::1");
  });
  it("tells cross-origin requests", () => {
    expect(isCrossOrigin({ origin: "http://127.0.0.1:8787", host: "127.0.0.1:8787" })).toBe(false);
    expect(isCrossOrigin({ origin: "http://evil.example", host: "127.0.0.1:8787" })).toBe(true);
    expect(isCrossOrigin({ origin: "null", host: "x" })).toBe(true);
    expect(isCrossOrigin({ secFetchSite: "same-site", host: "x" })).toBe(true);
    expect(isCrossOrigin({ secFetchSite: "same-origin", host: "x" })).toBe(false);
    expect(isCrossOrigin({ host: "x" })).toBe(false);
  });
});

describe("ingest tracker", () => {
  it("follows publishes, picks the main stream, and computes the bitrate from stat samples", () => {
    let changes = 0;
    const tracker = new IngestTracker(() => (changes += 1));
    tracker.publish("vertical", "1", 1000);
    tracker.publish("main", "2", 2000);
    expect(tracker.mainStream("", new Set(["vertical"]))).toBe("main");
    expect(tracker.mainStream("", new Set())).toBe("vertical");
    expect(tracker.mainStream("main", new Set())).toBe("main");
    expect(tracker.mainStream("other", new Set())).toBeNull();
    const stat = (bytesIn: number) => [{ app: "live", name: "main", timeMs: 0, bytesIn, bwIn: 0, publishing: true, clients: 1 }, { app: "live", name: "vertical", timeMs: 0, bytesIn: 0, bwIn: 0, publishing: true, clients: 1 }];
    tracker.applyStat(stat(0), 3000);
    tracker.applyStat(stat(750_000), 4000);
    expect(tracker.get("main")!.bitrateKbps).toBe(6000);
    tracker.publishDone("vertical", "1");
    expect(tracker.isLive("vertical")).toBe(false);
    expect(changes).toBeGreaterThanOrEqual(4);
  });
  it("adds a stream it missed and drops one nginx no longer has", () => {
    const tracker = new IngestTracker(() => undefined);
    tracker.applyStat([{ app: "live", name: "obs", timeMs: 5000, bytesIn: 1, bwIn: 0, publishing: true, clients: 1 }], 10_000);
    expect(tracker.get("obs")!.since).toBe(5000);
    tracker.applyStat([], 11_000);
    expect(tracker.isLive("obs")).toBe(false);
    tracker.publish("new", "3", 20_000);
    tracker.applyStat([], 20_500);
    expect(tracker.isLive("new")).toBe(true);
  });
});

describe("logger and notices", () => {
  it("redacts every line", () => {
    const lines: string[] = [];
    const log = createLogger({ redact: (text) => text.replace("KEY", "•••"), write: (line) => lines.push(line), now: () => new Date(0) }).scope("relay:yt");
    log.info("pushing KEY");
    log.debug("hidden at info level");
    expect(lines).toEqual(["1970-01-01T00:00:00.000Z INFO  [relay:yt] pushing •••"]);
  });
  it("parses nginx-rtmp's publish notice", () => {
    expect(parseNotice("app=live&flashver=FMLE/3.0&tcurl=rtmp://127.0.0.1:11935/live&addr=127.0.0.1&clientid=1&call=publish&name=obs&type=live")).toEqual({
      app: "live",
      name: "obs",
      addr: "127.0.0.1",
      clientId: "1",
    });
  });
});

describe("ingest streams by connection", () => {
  it("ends a stream only when the connection that publishes it ends", () => {
    let changes = 0;
    const tracker = new IngestTracker(() => (changes += 1));
    tracker.publish("obs", "7", 1_000);
    expect(tracker.publisher("obs")).toBe("7");
    // A second encoder refused under the same name: its end is not the stream's.
    expect(tracker.publishDone("obs", "9")).toBe(false);
    expect(tracker.isLive("obs")).toBe(true);
    expect(tracker.publishDone("obs", "7")).toBe(true);
    expect(tracker.isLive("obs")).toBe(false);
    expect(changes).toBe(2);
  });
});

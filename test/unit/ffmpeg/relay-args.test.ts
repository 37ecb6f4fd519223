import { describe, expect, it } from "vitest";
import { buildRelayArgs } from "../../../bridge/ffmpeg/relay-args.js";
import { joinStreamUrl } from "../../../contract/stream-url.js";

describe("joinStreamUrl", () => {
  it("puts exactly one slash between server URL and key", () => {
    expect(joinStreamUrl("rtmp://a.rtmp.youtube.com/live2", "abcd-1234")).toBe("rtmp://a.rtmp.youtube.com/live2/abcd-1234");
    expect(joinStreamUrl("rtmps://live-api-s.facebook.com:443/rtmp/", "FB-1")).toBe("rtmps://live-api-s.facebook.com:443/rtmp/FB-1");
    expect(joinStreamUrl("rtmp://x/app//", "/k")).toBe("rtmp://x/app/k");
  });
  it("leaves the URL alone when the key is empty", () => {
    expect(joinStreamUrl("rtmp://x/app/already-has-key", "")).toBe("rtmp://x/app/already-has-key");
  });
});

describe("buildRelayArgs: the product's relay, fed by the data plane", () => {
  const args = buildRelayArgs({ outputUrl: "rtmp://platform/app/KEY" });

  it("reads FLV on stdin (the data plane writes it) and pushes FLV to the platform", () => {
    expect(args.slice(args.indexOf("-i") - 2, args.indexOf("-i") + 2)).toEqual(["-f", "flv", "-i", "pipe:0"]);
    expect(args.at(-1)).toBe("rtmp://platform/app/KEY");
    expect(args).not.toContain("-rw_timeout");
    // Only the platform's connection is a socket.
    expect(args.filter((arg) => arg === "-tcp_nodelay")).toHaveLength(1);
    expect(args[args.indexOf("-progress") + 1]).toBe("pipe:1");
  });
});

describe("buildRelayArgs: a relay reading nginx itself (the benchmark's comparison)", () => {
  const args = buildRelayArgs({ inputUrl: "rtmp://127.0.0.1:1935/live/obs", outputUrl: "rtmp://platform/app/KEY" });

  it("reads the ingest and writes FLV to the platform, input before output", () => {
    expect(args.indexOf("-i")).toBeLessThan(args.indexOf("-f"));
    expect(args[args.indexOf("-i") + 1]).toBe("rtmp://127.0.0.1:1935/live/obs");
    expect(args.at(-1)).toBe("rtmp://platform/app/KEY");
    expect(args[args.indexOf("-f") + 1]).toBe("flv");
  });
  it("copies every stream untouched", () => {
    expect(args[args.indexOf("-map") + 1]).toBe("0");
    expect(args[args.indexOf("-c") + 1]).toBe("copy");
  });
  it("reports progress on stdout and keeps the log quiet", () => {
    expect(args[args.indexOf("-progress") + 1]).toBe("pipe:1");
    expect(args).toContain("-nostats");
    expect(args[args.indexOf("-loglevel") + 1]).toBe("warning");
  });
  it("keeps the keyframe read while probing, skips frame-rate guessing, and sends RTMP commands without Nagle", () => {
    expect(args).not.toContain("nobuffer");
    expect(args[args.indexOf("-fpsprobesize") + 1]).toBe("0");
    expect(args.indexOf("-fpsprobesize")).toBeLessThan(args.indexOf("-i"));
    const nodelay = args.flatMap((arg, index) => (arg === "-tcp_nodelay" ? [index] : []));
    expect(nodelay).toHaveLength(2);
    expect(nodelay[0]!).toBeLessThan(args.indexOf("-i"));
    expect(nodelay[1]!).toBeGreaterThan(args.indexOf("-i"));
    expect(args.at(-3)).toBe("-tcp_nodelay");
  });
  it("probes briefly (fast start, still sees audio) and times out a dead input", () => {
    expect(args[args.indexOf("-analyzeduration") + 1]).toBe("500000");
    expect(buildRelayArgs({ inputUrl: "i", outputUrl: "o", probeMs: 300 })).toContain("300000");
    expect(args[args.indexOf("-rw_timeout") + 1]).toBe("10000000");
  });
  it("passes TLS verification options only to rtmps outputs", () => {
    const tls = { verify: true, caFile: "/etc/ca.pem" };
    const secure = buildRelayArgs({ inputUrl: "i", outputUrl: "rtmps://h:443/app/k", tls });
    expect(secure.slice(-7)).toEqual(["-tls_verify", "1", "-ca_file", "/etc/ca.pem", "-tcp_nodelay", "1", "rtmps://h:443/app/k"]);
    expect(buildRelayArgs({ inputUrl: "i", outputUrl: "rtmp://h/app/k", tls })).not.toContain("-tls_verify");
  });
});

import { describe, expect, it } from "vitest";
// What the page and the control surfaces show of the upload: the total sent to the platforms, how it
// compares with the uplink the streamer typed in, and that figure read as typed.

import type { DestinationView, StatusView } from "../../../contract/api.js";
import { parseUplinkMbps, totalUploadKbps, uploadLevel } from "../../../presentation/upload.js";

function destinationView(overrides: Partial<DestinationView> & { id: string }): DestinationView {
  return { name: overrides.id, url: "rtmp://a.rtmp.youtube.com/live2", hasKey: true, enabled: false, state: "off", since: null, bitrateKbps: 0, fps: 0, restarts: 0, lastError: null, transport: "auto", ...overrides };
}

function statusView(destinations: DestinationView[], ingest: Partial<StatusView["ingest"]> = {}): StatusView {
  return {
    version: "0.0.0-test",
    ingest: { live: false, name: "", since: null, bitrateKbps: 0, ...ingest },
    services: { nginx: { state: "running" }, stunnel: { state: "stopped" } },
    destinations,
  };
}

describe("totalUploadKbps", () => {
  it("counts the ingest's bitrate once per live destination", () => {
    const status = statusView(
      [
        destinationView({ id: "youtube", state: "live", bitrateKbps: 8 }),
        destinationView({ id: "twitch", state: "live", bitrateKbps: 5900 }),
        destinationView({ id: "facebook", state: "starting", bitrateKbps: 300 }),
        destinationView({ id: "kick", state: "waiting" }),
      ],
      { live: true, bitrateKbps: 6000 },
    );
    expect(totalUploadKbps(status)).toBe(12_000);
  });
  it("counts a destination's own bitrate when it relays another stream or the ingest has no figure", () => {
    const other = destinationView({ id: "vertical", state: "live", bitrateKbps: 3000, source: "vertical" });
    expect(totalUploadKbps(statusView([other, destinationView({ id: "yt", state: "live", bitrateKbps: 5900 })], { live: true, bitrateKbps: 6000 }))).toBe(9_000);
    expect(totalUploadKbps(statusView([destinationView({ id: "yt", state: "live", bitrateKbps: 5900 })], { live: true, bitrateKbps: 0 }))).toBe(5_900);
  });
  it("counts a held session at its own figure: the platform still gets the stand-in while OBS is gone", () => {
    const held = statusView(
      [destinationView({ id: "youtube", state: "holding", bitrateKbps: 450 }), destinationView({ id: "twitch", state: "holding", bitrateKbps: 430 })],
      { live: false, bitrateKbps: 0 },
    );
    expect(totalUploadKbps(held)).toBe(880);
  });
  it("counts a re-encoded destination at its own bitrate, not OBS's", () => {
    const vertical = destinationView({ id: "tiktok", state: "live", bitrateKbps: 2400, encode: { video: { bitrateKbps: 1200, encoder: "auto" }, audio: { bitrateKbps: 128 }, crop: "vertical" } });
    expect(totalUploadKbps(statusView([vertical, destinationView({ id: "yt", state: "live" })], { live: true, bitrateKbps: 6000 }))).toBe(7_328);
  });
  it("is 0 with nothing live", () => {
    expect(totalUploadKbps(statusView([destinationView({ id: "a", state: "off" })], { live: true, bitrateKbps: 6000 }))).toBe(0);
  });
});

describe("uploadLevel", () => {
  it("warns from 80 % of the uplink and says when it is exceeded", () => {
    expect(uploadLevel(7_900, 10_000)).toBe("ok");
    expect(uploadLevel(8_000, 10_000)).toBe("near");
    expect(uploadLevel(10_000, 10_000)).toBe("near");
    expect(uploadLevel(10_001, 10_000)).toBe("over");
  });
  it("is unknown without an uplink figure", () => {
    expect(uploadLevel(50_000, 0)).toBe("unknown");
  });
});

describe("parseUplinkMbps", () => {
  it("reads Mb/s as typed, with a comma or a point", () => {
    expect(parseUplinkMbps("20")).toBe(20_000);
    expect(parseUplinkMbps(" 12,5 ")).toBe(12_500);
    expect(parseUplinkMbps("0.8")).toBe(800);
  });
  it("treats anything else as not given", () => {
    for (const text of ["", "abc", "-3", "0"]) expect(parseUplinkMbps(text)).toBe(0);
  });
});

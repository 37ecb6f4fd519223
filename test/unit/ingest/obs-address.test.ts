import { describe, expect, it } from "vitest";
import type { NetworkInterfaceInfo } from "node:os";
import { obsAddress, thisComputerServer } from "../../../bridge/ingest/obs-address.js";

const lan = { address: "192.168.1.20", family: "IPv4", internal: false } as NetworkInterfaceInfo;
const loopback = { address: "127.0.0.1", family: "IPv4", internal: true } as NetworkInterfaceInfo;
const v6 = { address: "fe80::1", family: "IPv6", internal: false } as NetworkInterfaceInfo;
const interfaces = { lo: [loopback], eth0: [lan, v6] };

describe("what to type into OBS", () => {
  it("on every interface: this computer first, then each LAN address", () => {
    expect(obsAddress({ host: "0.0.0.0", port: 1935, app: "live", key: "" }, interfaces)).toEqual({
      servers: ["rtmp://127.0.0.1:1935/live", "rtmp://192.168.1.20:1935/live"],
      keyRequired: false,
    });
  });
  it("on one address: that address; with a key, says a key is needed (never which)", () => {
    const one = obsAddress({ host: "192.168.1.20", port: 1936, app: "studio", key: "s3cret" }, interfaces);
    expect(one).toEqual({ servers: ["rtmp://192.168.1.20:1936/studio"], keyRequired: true });
    expect(JSON.stringify(one)).not.toContain("s3cret");
    expect(obsAddress({ host: "::1", port: 1935, app: "live", key: "" }, {}).servers).toEqual(["rtmp://[::1]:1935/live"]);
  });
  it("for OBS on this computer: the loopback address when the ingest listens on every interface or on localhost", () => {
    expect(thisComputerServer({ host: "0.0.0.0", port: 1935, app: "live" })).toBe("rtmp://127.0.0.1:1935/live");
    expect(thisComputerServer({ host: "::", port: 1935, app: "live" })).toBe("rtmp://127.0.0.1:1935/live");
    expect(thisComputerServer({ host: "localhost", port: 1936, app: "studio" })).toBe("rtmp://127.0.0.1:1936/studio");
    expect(thisComputerServer({ host: "::1", port: 1935, app: "live" })).toBe("rtmp://[::1]:1935/live");
  });
});

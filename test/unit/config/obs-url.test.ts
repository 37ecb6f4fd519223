// obs.url's rules: an obs-websocket address the bridge may connect to, never a link-local probe, and
// never a URL that cannot connect (a #fragment).

import { describe, expect, it } from "vitest";
import { isLinkLocal, obsUrlProblem } from "../../../bridge/config/schema.js";
import { parseConfig } from "../../../bridge/config/store.js";
import { ConfigError } from "../../../bridge/config/errors.js";

describe("obs.url", () => {
  it("refuses link-local addresses, however they are written", () => {
    for (const url of [
      "ws://169.254.169.254/latest",
      "ws://169.254.0.1:4455",
      "ws://2852039166:4455", // 169.254.169.254 as one number
      "ws://0xa9.0xfe.0xa9.0xfe:4455",
      "wss://[fe80::1]:4455",
      "ws://[FEBF::abcd]:4455",
      "ws://[::ffff:169.254.169.254]:4455",
    ]) {
      expect(obsUrlProblem(url), url).toMatch(/link-local address.*ws:\/\/127\.0\.0\.1:4455/);
    }
  });

  it("refuses a #fragment, even an empty one", () => {
    expect(obsUrlProblem("ws://127.0.0.1:4455#x")).toMatch(/#fragment/);
    expect(obsUrlProblem("ws://127.0.0.1:4455/#")).toMatch(/#fragment/);
  });

  it("keeps accepting OBS on this computer, on the LAN and by name", () => {
    for (const url of ["", "ws://127.0.0.1:4455", "ws://[::1]:4455", "ws://192.168.1.20:4455", "wss://studio.lan:4455", "ws://169.255.0.1:4455", "ws://[fec0::1]:4455", "ws://[fe8::1]:4455"]) {
      expect(obsUrlProblem(url), url).toBeNull();
    }
    expect(isLinkLocal("[fe8::1]")).toBe(false);
  });

  it("names obs.url in a config file that has one", () => {
    try {
      parseConfig(JSON.stringify({ obs: { url: "ws://169.254.169.254:4455" } }), "c.json");
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.join("\n")).toMatch(/obs\.url: is a link-local address/);
    }
  });
});

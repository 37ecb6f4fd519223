// Settings as the app hands them back: whatever the inspector saved becomes something usable.

import { describe, expect, it } from "vitest";
import { bridgeConnection, chosenDestinations, DEFAULT_BRIDGE_URL, destinationId, pressMode } from "../../src/settings.js";

describe("bridgeConnection", () => {
  it("uses the default address when none is saved", () => {
    expect(bridgeConnection(undefined)).toEqual({ ok: true, baseUrl: DEFAULT_BRIDGE_URL, token: "" });
    expect(bridgeConnection({ bridgeUrl: "  " })).toEqual({ ok: true, baseUrl: DEFAULT_BRIDGE_URL, token: "" });
  });

  it("adds http:// when left out, drops trailing slashes, keeps a path prefix and trims the token", () => {
    expect(bridgeConnection({ bridgeUrl: "192.168.1.20:8787/", token: " t0k " })).toEqual({ ok: true, baseUrl: "http://192.168.1.20:8787", token: "t0k" });
    expect(bridgeConnection({ bridgeUrl: "https://deck.example/relay//" })).toEqual({ ok: true, baseUrl: "https://deck.example/relay", token: "" });
    expect(bridgeConnection({ bridgeUrl: "http://[::1]:8787" })).toMatchObject({ ok: true, baseUrl: "http://[::1]:8787" });
  });

  it("explains addresses it cannot use, without echoing the token", () => {
    const bad = bridgeConnection({ bridgeUrl: "http://exa mple:99999", token: "secret" });
    expect(bad).toMatchObject({ ok: false });
    expect(bridgeConnection({ bridgeUrl: "ftp://x" })).toMatchObject({ ok: false, problem: expect.stringMatching(/http:\/\/ or https:\/\//) });
    const withCredentials = bridgeConnection({ bridgeUrl: "http://user:secret@host" });
    expect(withCredentials).toMatchObject({ ok: false, problem: expect.stringMatching(/Token field/) });
    expect(JSON.stringify(withCredentials)).not.toContain("user:secret");
  });
});

describe("key settings", () => {
  it("reads the press mode, toggle unless start or stop", () => {
    expect(pressMode(undefined)).toBe("toggle");
    expect(pressMode("start")).toBe("start");
    expect(pressMode("stop")).toBe("stop");
    expect(pressMode("explode")).toBe("toggle");
  });

  it("reads the destination id and the chosen list", () => {
    expect(destinationId({})).toBeUndefined();
    expect(destinationId({ destination: " yt " })).toBe("yt");
    expect(chosenDestinations({})).toEqual([]);
    expect(chosenDestinations({ destinations: ["yt", "", "tw", "yt", 3 as unknown as string] })).toEqual(["yt", "tw"]);
  });
});

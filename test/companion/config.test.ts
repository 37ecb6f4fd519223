import { InstanceStatus } from "@companion-module/base";
import { describe, expect, it } from "vitest";
import { bridgeAddress, configFields, DEFAULT_CONFIG, keyImageLanguage } from "../../companion/config.js";
import { instanceStatusOf, refusedAnswer } from "../../companion/link-state.js";
import { unreachableMessage } from "../../client/bridge-messages.js";

describe("Companion connection settings", () => {
  it("has the fields host, port, token, https and the key images' language with the bridge's defaults", () => {
    const fields = configFields().filter((field) => field.type !== "static-text");
    expect(fields.map((field) => [field.id, (field as { default?: unknown }).default])).toEqual([
      ["host", "127.0.0.1"],
      ["port", 8787],
      ["token", ""],
      ["https", false],
      ["language", "en"],
    ]);
    expect(DEFAULT_CONFIG).toEqual({ host: "127.0.0.1", port: 8787, token: "", https: false, language: "en" });
  });

  it("reads the key images' language, English for settings without one or with an unknown one", () => {
    expect(keyImageLanguage({ language: "fr" })).toBe("fr");
    expect(keyImageLanguage({ language: "en" })).toBe("en");
    expect(keyImageLanguage({ host: "127.0.0.1" })).toBe("en");
    expect(keyImageLanguage({ language: "de" })).toBe("en");
    expect(keyImageLanguage(undefined)).toBe("en");
  });

  it("makes the bridge's address from host and port", () => {
    expect(bridgeAddress({ host: "127.0.0.1", port: 8787, token: "" })).toEqual({ ok: true, baseUrl: "http://127.0.0.1:8787", token: "" });
    expect(bridgeAddress({ host: " studio.local ", port: "9000", token: " t0k " })).toEqual({ ok: true, baseUrl: "http://studio.local:9000", token: "t0k" });
    expect(bridgeAddress({ host: "::1", port: 8787, token: "" })).toMatchObject({ ok: true, baseUrl: "http://[::1]:8787" });
    expect(bridgeAddress({ host: "[fe80::1]", port: 8787, token: "" })).toMatchObject({ ok: true, baseUrl: "http://[fe80::1]:8787" });
    // Behind an HTTPS proxy; the default port of the scheme is left out of the origin.
    expect(bridgeAddress({ host: "relay.example.com", port: 443, token: "t", https: true })).toMatchObject({ ok: true, baseUrl: "https://relay.example.com" });
    expect(bridgeAddress({ host: "relay.example.com", port: 8443, token: "t", https: true })).toMatchObject({ ok: true, baseUrl: "https://relay.example.com:8443" });
  });

  it("says what to fix in settings it cannot use", () => {
    expect(bridgeAddress({ host: "", port: 8787 })).toMatchObject({ ok: false, problem: expect.stringMatching(/Host is empty/) });
    expect(bridgeAddress(undefined)).toMatchObject({ ok: false });
    expect(bridgeAddress({ host: "http://127.0.0.1:8787", port: 8787 })).toMatchObject({ ok: false, problem: expect.stringMatching(/without http/) });
    expect(bridgeAddress({ host: "10.0.0.2/api", port: 8787 })).toMatchObject({ ok: false });
    for (const port of [0, 65536, 80.5, "abc", undefined]) {
      expect(bridgeAddress({ host: "127.0.0.1", port }), String(port)).toMatchObject({ ok: false, problem: expect.stringMatching(/Port/) });
    }
  });
});

describe("Companion connection status", () => {
  it("shows each link state as Companion's status", () => {
    expect(instanceStatusOf({ kind: "connecting" })).toEqual({ status: InstanceStatus.Connecting, message: null });
    expect(instanceStatusOf({ kind: "connected" })).toEqual({ status: InstanceStatus.Ok, message: null });
    expect(instanceStatusOf({ kind: "bad-settings", message: "Host is empty" })).toEqual({ status: InstanceStatus.BadConfig, message: "Host is empty" });
    expect(instanceStatusOf({ kind: "refused-token", message: "token" })).toEqual({ status: InstanceStatus.BadConfig, message: "token" });
    expect(instanceStatusOf({ kind: "unreachable", message: "down" })).toEqual({ status: InstanceStatus.ConnectionFailure, message: "down" });
  });

  it("tells a refused token from a wrong address", () => {
    expect(refusedAnswer("http://127.0.0.1:8787", 401, '{"error":{"code":"unauthorized","message":"no"}}')).toMatchObject({ kind: "refused-token", message: expect.stringMatching(/token/) });
    expect(refusedAnswer("http://127.0.0.1:80", 404, "<html>Not Found</html>")).toEqual({
      kind: "unreachable",
      message: "http://127.0.0.1:80 answered HTTP 404: is it the Relay bridge's host and port?",
    });
    expect(refusedAnswer("http://127.0.0.1:8787", 403, '{"error":{"code":"forbidden_host","message":"Host not allowed"}}')).toEqual({ kind: "unreachable", message: "Host not allowed" });
  });

  it("names the likely cause of a request without an answer", () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    expect(unreachableMessage("http://127.0.0.1:8787", refused)).toMatch(/Nothing answers at http:\/\/127.0.0.1:8787/);
    expect(unreachableMessage("http://studio:8787", Object.assign(new TypeError("fetch failed"), { cause: { code: "ENOTFOUND" } }))).toMatch(/cannot be found/);
    expect(unreachableMessage("http://x:1", Object.assign(new Error("t"), { name: "TimeoutError" }))).toMatch(/did not answer in time/);
  });
});

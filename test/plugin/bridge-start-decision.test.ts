// When the plugin starts the bridge bundled in it (pure): only on this computer, only when asked,
// only when nothing answers and no bridge holds the config, and never in a tight loop.

import { describe, expect, it } from "vitest";
import { decideBridgeStart, isThisComputer, portOf, type StartFacts } from "../../src/bridge-start-decision.js";
import { runBridgeHere } from "../../src/settings.js";

const facts = (change: Partial<StartFacts> = {}): StartFacts => ({
  runBridgeHere: true,
  baseUrl: "http://127.0.0.1:8787",
  probe: "refused",
  lockHeld: false,
  lastStartAt: undefined,
  now: 100_000,
  minIntervalMs: 15_000,
  ...change,
});

describe("starting the bundled bridge", () => {
  it("starts one on the address's port when nothing listens on this computer", () => {
    expect(decideBridgeStart(facts())).toEqual({ start: true, port: 8787 });
    expect(decideBridgeStart(facts({ baseUrl: "http://localhost:9001" }))).toEqual({ start: true, port: 9001 });
    expect(decideBridgeStart(facts({ baseUrl: "http://[::1]:9002" }))).toEqual({ start: true, port: 9002 });
  });

  it("uses a bridge that answers, whoever started it", () => {
    expect(decideBridgeStart(facts({ probe: "answered" }))).toMatchObject({ start: false, why: "a bridge answers" });
  });

  it("leaves a port that is held but silent alone", () => {
    expect(decideBridgeStart(facts({ probe: "no-answer" })).start).toBe(false);
  });

  it("never starts a second bridge on a config a live bridge holds (still starting, or on another port)", () => {
    expect(decideBridgeStart(facts({ lockHeld: true })).start).toBe(false);
  });

  it("never starts one for another computer, nor when switched off", () => {
    expect(decideBridgeStart(facts({ baseUrl: "http://192.168.1.20:8787" }))).toMatchObject({ start: false, why: "192.168.1.20:8787 is another computer" });
    expect(decideBridgeStart(facts({ baseUrl: "https://127.0.0.1:8787" })).start).toBe(false);
    expect(decideBridgeStart(facts({ runBridgeHere: false })).start).toBe(false);
    expect(decideBridgeStart(facts({ baseUrl: undefined })).start).toBe(false);
  });

  it("waits between two starts, so a bridge that fails at start is not started in a loop", () => {
    expect(decideBridgeStart(facts({ lastStartAt: 90_000 })).start).toBe(false);
    expect(decideBridgeStart(facts({ lastStartAt: 80_000 })).start).toBe(true);
  });

  it("knows this computer's addresses and the scheme's default ports", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "[::1]", "LOCALHOST"]) expect(isThisComputer(host), host).toBe(true);
    for (const host of ["10.0.0.1", "example.lan", "127.0.0.1.example.com", "0.0.0.0"]) expect(isThisComputer(host), host).toBe(false);
    expect(portOf(new URL("http://127.0.0.1"))).toBe(80);
    expect(portOf(new URL("https://127.0.0.1"))).toBe(443);
  });

  it("reads the global setting as on unless switched off", () => {
    expect(runBridgeHere(undefined)).toBe(true);
    expect(runBridgeHere({})).toBe(true);
    expect(runBridgeHere({ runBridge: true })).toBe(true);
    expect(runBridgeHere({ runBridge: false })).toBe(false);
    expect(runBridgeHere({ runBridge: "false" as unknown as boolean })).toBe(false);
  });
});

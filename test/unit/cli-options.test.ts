// The bridge's command line and environment.

import { describe, expect, it } from "vitest";
import { isLoopbackHost, parseCli } from "../../bridge/cli-options.js";

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

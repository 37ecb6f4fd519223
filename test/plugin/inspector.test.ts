// What the property inspector gets: dropdown items and the bridge's reachability, pushed on change.

import { describe, expect, it, vi } from "vitest";
import { asksForDestinations, InspectorFeed, inspectorMessage, programPathRequest } from "../../src/inspector.js";
import { destinationView, statusWith } from "./support/fake-client.js";

const reachable = (names: Array<[string, string]>) => ({
  reachable: true,
  status: statusWith(names.map(([id, name]) => destinationView(id, "off", { name }))),
  problem: undefined,
});

describe("inspectorMessage", () => {
  it("lists destinations by name, adding the id where two share one", () => {
    expect(inspectorMessage(reachable([["yt", "YouTube"], ["tw1", "Twitch"], ["tw2", "Twitch"]]))).toEqual({
      event: "getDestinations",
      items: [
        { value: "yt", label: "YouTube" },
        { value: "tw1", label: "Twitch (tw1)" },
        { value: "tw2", label: "Twitch (tw2)" },
      ],
      reachable: true,
      connecting: false,
      problem: null,
      local: null,
      setup: null,
      statusPage: null,
    });
  });

  it("carries the first-run help, and the bridge's settings only while it answers", () => {
    const setup = {
      binaries: {
        nginx: { configured: "", found: null, problem: "nginx is not installed or not on PATH", install: "sudo apt-get install nginx libnginx-mod-rtmp" },
        ffmpeg: { configured: "", found: "/usr/bin/ffmpeg", problem: null, install: "sudo apt-get install ffmpeg" },
        stunnel: { configured: "", found: "/usr/bin/stunnel4", problem: null, install: "sudo apt-get install stunnel4" },
      },
      obs: { server: "rtmp://127.0.0.1:1935/live", keyRequired: false },
      ingest: { host: "0.0.0.0", port: 1935, app: "live" },
      bridge: { host: "127.0.0.1", port: 8787, listeningPort: 8787, restartNeeded: false },
    };
    const local = { runHere: true, started: true, problem: null, configFile: "/c/config.json", logFile: "/c/run/bridge.log" };
    const extras = { local, setup, statusPage: "http://127.0.0.1:8787/" };
    expect(inspectorMessage(reachable([["yt", "YouTube"]]), extras)).toMatchObject(extras);
    expect(inspectorMessage({ reachable: false, status: undefined, problem: "gone" }, extras)).toMatchObject({ local, setup: null, statusPage: "http://127.0.0.1:8787/" });
  });

  it("reads a request to save a program's path, and nothing else as one", () => {
    expect(programPathRequest({ event: "setProgramPath", program: "nginx", path: "C:\\nginx\\nginx.exe" })).toEqual({ program: "nginx", path: "C:\\nginx\\nginx.exe" });
    expect(programPathRequest({ event: "setProgramPath", program: "obs", path: "/x" })).toBeUndefined();
    expect(programPathRequest({ event: "setProgramPath", program: "ffmpeg" })).toBeUndefined();
    expect(programPathRequest({ event: "getDestinations" })).toBeUndefined();
    expect(programPathRequest(null)).toBeUndefined();
  });

  it("says why the bridge cannot be reached, and whether it is still connecting", () => {
    expect(inspectorMessage({ reachable: false, status: undefined, problem: "Nothing answers at http://x" })).toMatchObject({ items: [], reachable: false, connecting: false, problem: "Nothing answers at http://x" });
    expect(inspectorMessage({ reachable: false, status: undefined, problem: "Connecting…", connecting: true })).toMatchObject({ connecting: true });
  });

  it("recognises the inspector's request", () => {
    expect(asksForDestinations({ event: "getDestinations" })).toBe(true);
    expect(asksForDestinations({ event: "getDestinations", isRefresh: true })).toBe(true);
    expect(asksForDestinations({ event: "other" })).toBe(false);
    expect(asksForDestinations(null)).toBe(false);
    expect(asksForDestinations("getDestinations")).toBe(false);
  });
});

describe("InspectorFeed", () => {
  it("answers every request, and pushes only changes while an inspector is open", async () => {
    const send = vi.fn(async () => undefined);
    const feed = new InspectorFeed(send);
    const one = reachable([["yt", "YouTube"]]);
    await feed.update(one);
    expect(send).not.toHaveBeenCalled();
    feed.appeared();
    await feed.answer(one);
    await feed.answer(one);
    expect(send).toHaveBeenCalledTimes(2);
    await feed.update(reachable([["yt", "YouTube"]]));
    expect(send).toHaveBeenCalledTimes(2);
    await feed.update(reachable([["yt", "YouTube"], ["tw", "Twitch"]]));
    expect(send).toHaveBeenCalledTimes(3);
    feed.disappeared();
    await feed.update(reachable([]));
    expect(send).toHaveBeenCalledTimes(3);
  });
});

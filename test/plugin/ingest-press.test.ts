import { describe, expect, it, vi } from "vitest";
import { planIngestPress, pressIngest } from "../../src/actions/ingest-press.js";
import { initialObsState, obsConnected } from "../../bridge/obs/obs-state.js";
import type { ObsView } from "../../contract/api.js";
import { fakeClient, fakeKey, statusWith } from "./support/fake-client.js";

const connected = (over: Partial<ObsView> = {}): ObsView => ({ ...obsConnected(initialObsState(true), "29.0.2").view, ...over });
const withObs = (obs: ObsView | undefined) => ({ ...statusWith([]), ...(obs ? { obs } : {}) });

describe("the OBS input key's press", () => {
  it("starts OBS's stream when OBS is linked and idle, stops it while it streams", () => {
    expect(planIngestPress(withObs(connected()), {})).toBe("start");
    expect(planIngestPress(withObs(connected({ streaming: true })), {})).toBe("stop");
    expect(planIngestPress(withObs(connected({ streaming: true, reconnecting: true })), undefined)).toBe("stop");
  });

  it("opens the page without OBS, with OBS not connected, or when the key is set to", () => {
    expect(planIngestPress(withObs(undefined), {})).toBe("open-page");
    expect(planIngestPress(withObs(initialObsState(true).view), {})).toBe("open-page");
    expect(planIngestPress(withObs(connected()), { press: "page" })).toBe("open-page");
    expect(planIngestPress(undefined, {})).toBe("open-page");
  });

  it("sends the command to the bridge, and alerts on the key when it is refused", async () => {
    const client = fakeClient();
    client.current = { reachable: true, status: withObs(connected()), problem: undefined };
    const key = fakeKey();
    const openPage = vi.fn(async () => undefined);
    await pressIngest(client, key, {}, openPage);
    expect(client.obsCalls).toEqual(["start"]);
    expect(openPage).not.toHaveBeenCalled();
    client.failWith("OBS refused");
    const warnings: string[] = [];
    await pressIngest(client, key, {}, openPage, (message) => warnings.push(message));
    expect(key.alerts).toBe(1);
    expect(warnings[0]).toContain("OBS refused");
    await pressIngest(client, key, { press: "page" }, openPage);
    expect(openPage).toHaveBeenCalledTimes(1);
  });
});

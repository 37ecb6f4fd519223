import { describe, expect, it } from "vitest";
import { pageTitle, problemsFirst, summarize, summaryText, trackAlerts } from "../../page/summary.js";
import { destinationView } from "../../rig/status-views.js";
import type { DestinationView, RelayState } from "../../contract/api.js";

const view = (id: string, state: RelayState, enabled = state !== "off"): DestinationView => destinationView({ id, name: id.toUpperCase(), state, enabled });

describe("the summary line", () => {
  const four = [view("yt", "live"), view("tw", "live"), view("kick", "retrying"), view("fb", "failed"), view("ig", "off")];

  it("counts each state that matters, live first and problems last", () => {
    const summary = summarize(four);
    expect(summaryText(summary, "en")).toBe("2 live · 1 retrying · 1 failed");
    expect(summaryText(summary, "fr")).toBe("2 en direct · 1 en relance · 1 en échec");
    expect(summary.problems).toEqual(["kick", "fb"]);
    expect(summary.on).toBe(4);
  });

  it("says when nothing is on, and when there is nothing at all", () => {
    expect(summaryText(summarize([view("yt", "off")]), "en")).toBe("Every destination is switched off");
    expect(summaryText(summarize([]), "fr")).toBe("Aucune destination pour l'instant");
    expect(summaryText(summarize([view("yt", "waiting"), view("tw", "waiting")]), "fr")).toBe("2 prêtes");
  });

  it("a failed destination switched off is not a problem", () => {
    expect(summarize([view("fb", "failed", false)]).problems).toEqual([]);
  });
});

describe("the tab's title", () => {
  it("counts problems first, then what is live, and says a dead bridge", () => {
    expect(pageTitle(summarize([view("yt", "live"), view("fb", "failed")]), "en", false)).toBe("⚠ 1 failing · Relay");
    expect(pageTitle(summarize([view("yt", "live"), view("tw", "holding")]), "fr", false)).toBe("● 2 en direct · Relay");
    expect(pageTitle(summarize([view("yt", "off")]), "en", false)).toBe("Relay");
    expect(pageTitle(summarize([view("yt", "live")]), "en", true)).toBe("✕ Bridge unreachable · Relay");
  });
});

describe("the cards' order", () => {
  it("puts problems first and keeps the bridge's order otherwise", () => {
    const order = problemsFirst([view("yt", "live"), view("tw", "off"), view("kick", "retrying"), view("fb", "failed")]).map((one) => one.id);
    expect(order).toEqual(["kick", "fb", "yt", "tw"]);
  });
});

describe("what is worth a sound or a notification", () => {
  it("tells nothing of the first status, only of changes after it", () => {
    const first = trackAlerts(undefined, [view("fb", "failed"), view("yt", "live")]);
    expect(first.events).toEqual([]);
    expect([...first.failing]).toEqual(["fb"]);
  });

  it("tells a switched-on platform failing once, and back once live again (not while it starts)", () => {
    let track = trackAlerts(undefined, [view("yt", "live")]);
    track = trackAlerts(track.failing, [view("yt", "retrying")]);
    expect(track.events).toEqual([{ kind: "failed", id: "yt", name: "YT", state: "retrying" }]);
    track = trackAlerts(track.failing, [view("yt", "failed")]);
    expect(track.events).toEqual([]);
    track = trackAlerts(track.failing, [view("yt", "starting")]);
    expect(track.events).toEqual([]);
    track = trackAlerts(track.failing, [view("yt", "live")]);
    expect(track.events).toEqual([{ kind: "recovered", id: "yt", name: "YT", state: "live" }]);
    expect(trackAlerts(track.failing, [view("yt", "live")]).events).toEqual([]);
  });

  it("forgets a platform switched off while failing, and never tells of one that is off", () => {
    let track = trackAlerts(undefined, [view("yt", "retrying")]);
    track = trackAlerts(track.failing, [view("yt", "off")]);
    expect(track.events).toEqual([]);
    expect(track.failing.size).toBe(0);
    track = trackAlerts(track.failing, [view("yt", "live")]);
    expect(track.events).toEqual([]);
  });
});

// The key painter: draws on appear, redraws on every snapshot, sends no identical image twice, and
// ticks once a second only while a key shows a clock.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { imageTitle, decodeImage } from "../../rig/stream-deck-host.js";
import { KeyPainter, pictureFor, svgDataUrl, type KeySurface } from "../../src/key-painter.js";
import type { BridgeSnapshot } from "../../src/bridge-client.js";
import { destinationView, statusWith } from "./support/fake-client.js";

const NOW = Date.parse("2025-06-01T20:00:00Z");

function surface(id: string): KeySurface & { images: string[] } {
  const images: string[] = [];
  return { id, images, setImage: vi.fn(async (image: string) => void images.push(image)) };
}

const titles = (key: { images: string[] }) => key.images.map((image) => imageTitle(decodeImage(image)));

let snapshot: BridgeSnapshot;
let now: number;
const painter = () => new KeyPainter({ snapshot: () => snapshot, now: () => now });

beforeEach(() => {
  vi.useFakeTimers();
  now = NOW;
  snapshot = { reachable: true, status: statusWith([destinationView("yt", "off", { name: "YouTube", platform: "youtube" })]), problem: undefined };
});
afterEach(() => {
  vi.useRealTimers();
});

describe("pictureFor", () => {
  it("draws the destination, ingest and group keys from the snapshot", () => {
    expect(imageTitle(pictureFor({ kind: "destination", destinationId: "yt" }, snapshot, NOW).svg)).toBe("YouTube: off");
    expect(imageTitle(pictureFor({ kind: "destination", destinationId: "nope" }, snapshot, NOW).svg)).toBe("Unknown destination");
    expect(imageTitle(pictureFor({ kind: "destination", destinationId: undefined }, snapshot, NOW).svg)).toBe("Unknown destination");
    expect(imageTitle(pictureFor({ kind: "ingest" }, snapshot, NOW).svg)).toBe("OBS into Relay: not sending");
    expect(imageTitle(pictureFor({ kind: "group", destinationIds: [] }, snapshot, NOW).svg)).toBe("ALL destinations: off, 1 dest.");
    expect(imageTitle(pictureFor({ kind: "group", destinationIds: ["other"] }, snapshot, NOW).svg)).toBe("ALL destinations: none, no, destinations");
  });

  it("draws the keys' words in the language it is given", () => {
    expect(imageTitle(pictureFor({ kind: "destination", destinationId: "yt" }, snapshot, NOW, "fr").svg)).toBe("YouTube : éteinte");
    expect(pictureFor({ kind: "destination", destinationId: "yt" }, snapshot, NOW, "fr").svg).toContain(">ARRÊT<");
    expect(pictureFor({ kind: "group", destinationIds: [] }, snapshot, NOW, "fr").svg).toContain(">TOUT<");
    const key = surface("k1");
    new KeyPainter({ snapshot: () => snapshot, now: () => now, lang: "fr" }).show(key, { kind: "ingest" });
    expect(titles(key)).toEqual(["OBS vers Relay : n'envoie rien"]);
  });

  it("draws every key offline while the bridge cannot be reached, or before it ever answered", () => {
    const offline = { ...snapshot, reachable: false };
    for (const content of [{ kind: "destination", destinationId: "yt" }, { kind: "ingest" }, { kind: "group", destinationIds: [] }] as const) {
      expect(imageTitle(pictureFor(content, offline, NOW).svg)).toMatch(/bridge offline$/);
      expect(imageTitle(pictureFor(content, { reachable: true, status: undefined, problem: undefined }, NOW).svg)).toMatch(/bridge offline$/);
    }
  });

  it("makes a data URL the app accepts", () => {
    expect(svgDataUrl("<svg a=\"1\">#</svg>")).toBe("data:image/svg+xml,%3Csvg%20a%3D%221%22%3E%23%3C%2Fsvg%3E");
  });
});

describe("KeyPainter", () => {
  it("draws a key when it appears, and redraws it when its content changes", () => {
    const key = surface("k");
    const keys = painter();
    keys.show(key, { kind: "destination", destinationId: "yt" });
    keys.show(key, { kind: "destination", destinationId: "zz" });
    expect(titles(key)).toEqual(["YouTube: off", "Unknown destination"]);
  });

  it("redraws on a snapshot only the keys whose picture changed", () => {
    const yt = surface("a");
    const ingest = surface("b");
    const keys = painter();
    keys.show(yt, { kind: "destination", destinationId: "yt" });
    keys.show(ingest, { kind: "ingest" });
    snapshot = { ...snapshot, status: statusWith([destinationView("yt", "waiting", { name: "YouTube", platform: "youtube" })]) };
    keys.refresh(snapshot);
    keys.refresh(snapshot);
    expect(titles(yt)).toEqual(["YouTube: off", "YouTube: waiting, waiting, for OBS"]);
    expect(titles(ingest)).toEqual(["OBS into Relay: not sending"]);
  });

  it("ticks every second while a key shows uptime, and stops ticking when none does", () => {
    const key = surface("k");
    const keys = painter();
    const live = (since: string) => statusWith([destinationView("yt", "live", { name: "YouTube", platform: "youtube", since, bitrateKbps: 3000 })]);
    keys.show(key, { kind: "destination", destinationId: "yt" });
    snapshot = { ...snapshot, status: live(new Date(NOW - 5_000).toISOString()) };
    keys.refresh(snapshot);
    expect(titles(key).at(-1)).toBe("YouTube: live, 3.0 Mb/s, 0:05");
    now += 1_000;
    vi.advanceTimersByTime(1_000);
    expect(titles(key).at(-1)).toBe("YouTube: live, 3.0 Mb/s, 0:06");
    now += 1_000;
    vi.advanceTimersByTime(1_000);
    expect(titles(key)).toHaveLength(4);
    snapshot = { ...snapshot, status: statusWith([destinationView("yt", "off", { name: "YouTube", platform: "youtube" })]) };
    keys.refresh(snapshot);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stops drawing a key that disappeared, and stops the ticker with it", () => {
    const key = surface("k");
    const keys = painter();
    snapshot = { ...snapshot, status: statusWith([destinationView("yt", "retrying", { retryAt: new Date(NOW + 9_000).toISOString() })]) };
    keys.show(key, { kind: "destination", destinationId: "yt" });
    expect(vi.getTimerCount()).toBe(1);
    keys.hide("k");
    expect(vi.getTimerCount()).toBe(0);
    keys.refresh({ ...snapshot, reachable: false });
    expect(key.images).toHaveLength(1);
  });

  it("sends an image again after a failed send", async () => {
    const key = surface("k");
    const onError = vi.fn();
    (key.setImage as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error("socket closed"));
    const keys = new KeyPainter({ snapshot: () => snapshot, now: () => now, onError });
    keys.show(key, { kind: "destination", destinationId: "yt" });
    await vi.waitFor(() => expect(onError).toHaveBeenCalledOnce());
    keys.refresh(snapshot);
    expect(key.setImage).toHaveBeenCalledTimes(2);
  });
});

describe("the key's alert when its platform fails", () => {
  const alerting = (id: string) => {
    const key = surface(id) as KeySurface & { images: string[]; alerts: number };
    key.alerts = 0;
    key.showAlert = vi.fn(async () => void (key.alerts += 1));
    return key;
  };
  const at = (state: "live" | "retrying" | "failed" | "off") => ({ reachable: true, status: statusWith([destinationView("yt", state, { name: "YouTube" })]), problem: undefined });

  it("flashes once when the platform goes failed, again only after it was something else", () => {
    const key = alerting("k1");
    const keys = painter();
    snapshot = at("live");
    keys.show(key, { kind: "destination", destinationId: "yt" });
    keys.refresh((snapshot = at("retrying")));
    expect(key.alerts).toBe(0);
    keys.refresh((snapshot = at("failed")));
    keys.refresh((snapshot = at("failed")));
    expect(key.alerts).toBe(1);
    // The bridge lost a moment says nothing of the platform: back, still failed, no second flash.
    keys.refresh((snapshot = { ...at("failed"), reachable: false }));
    keys.refresh((snapshot = at("failed")));
    expect(key.alerts).toBe(1);
    keys.refresh((snapshot = at("off")));
    keys.refresh((snapshot = at("failed")));
    expect(key.alerts).toBe(2);
  });

  it("does not flash a key that appears on a platform already failed, nor the ingest and group keys", () => {
    snapshot = at("failed");
    const destinationKey = alerting("k1");
    const groupKey = alerting("k2");
    const keys = painter();
    keys.show(destinationKey, { kind: "destination", destinationId: "yt" });
    snapshot = at("live");
    keys.show(groupKey, { kind: "group", destinationIds: [] });
    keys.refresh(snapshot);
    keys.refresh((snapshot = at("failed")));
    expect(destinationKey.alerts).toBe(1);
    expect(groupKey.alerts).toBe(0);
  });
});

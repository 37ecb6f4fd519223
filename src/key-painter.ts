// Keeps every visible key's image in step with the bridge: each snapshot redraws the keys at once,
// an image identical to the one a key already shows is not sent again, and a one-second timer runs
// only while some key shows a clock (uptime or retry countdown). A destination key whose platform
// goes failed also flashes the Stream Deck's alert once, so a failure is seen on the desk.

import { destinationKeyTicks, renderDestinationKey, renderGroupKey, renderIngestKey } from "../presentation/key-image.js";
import type { Lang } from "../presentation/i18n/translate.js";
import type { RelayState } from "../contract/api.js";
import type { BridgeSnapshot } from "./bridge-client.js";

/** What a key shows: one destination, the ingest, or a group of destinations (empty ids = all). */
export type KeyContent =
  | { kind: "destination"; destinationId: string | undefined }
  | { kind: "ingest" }
  | { kind: "group"; destinationIds: readonly string[] };

/** The part of a Stream Deck key the painter uses (the SDK's KeyAction has it). */
export interface KeySurface {
  readonly id: string;
  setImage(image: string): Promise<void>;
  /** The Stream Deck's own alert (a warning sign flashed on the key). */
  showAlert?(): Promise<void>;
}

/** One key's picture at one moment, and whether it will change with the clock alone. */
export interface KeyPicture {
  svg: string;
  ticks: boolean;
}

/** Pixel size of the images sent: SVG scales, so the larger key size keeps text crisp everywhere. */
export const KEY_IMAGE_SIZE = 144;

/** The picture of a key for a snapshot of the bridge at time `now`, with its words in `lang` (pure). */
export function pictureFor(content: KeyContent, snapshot: BridgeSnapshot, now: number, lang: Lang = "en"): KeyPicture {
  const { reachable, status } = snapshot;
  const size = KEY_IMAGE_SIZE;
  if (content.kind === "ingest") {
    return { svg: renderIngestKey(status?.ingest, { reachable: reachable && status !== undefined, size, lang, ...(status?.obs ? { obs: status.obs } : {}) }), ticks: false };
  }
  if (content.kind === "group") {
    const all = status?.destinations ?? [];
    const views = content.destinationIds.length === 0 ? all : all.filter((view) => content.destinationIds.includes(view.id));
    return { svg: renderGroupKey(views, { reachable: reachable && status !== undefined, size, lang }), ticks: false };
  }
  const view = content.destinationId === undefined ? undefined : status?.destinations.find((one) => one.id === content.destinationId);
  const online = reachable && status !== undefined;
  return { svg: renderDestinationKey(view, { now, reachable: online, size, lang }), ticks: destinationKeyTicks(view, online) };
}

/** The state a destination key's platform is in for `snapshot` (undefined: not known, or not a destination key). */
export function keyDestinationState(content: KeyContent, snapshot: BridgeSnapshot): RelayState | undefined {
  if (content.kind !== "destination" || !snapshot.reachable || content.destinationId === undefined) return undefined;
  return snapshot.status?.destinations.find((one) => one.id === content.destinationId)?.state;
}

/** A key flashes its alert when its platform was seen in another state and is failed now (pure). */
export function wentFailed(before: RelayState | undefined, after: RelayState | undefined): boolean {
  return before !== undefined && before !== "failed" && after === "failed";
}

/** `data:` URL of an SVG image, the form the Stream Deck app takes for `setImage`. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export interface KeyPainterOptions {
  snapshot: () => BridgeSnapshot;
  now?: () => number;
  tickMs?: number;
  /** The language of the words on the keys: the Stream Deck app's (default English). */
  lang?: Lang;
  /** Where failures to send an image go (the connection to the app dropping, mostly). */
  onError?: (error: unknown) => void;
}

interface ShownKey {
  surface: KeySurface;
  content: KeyContent;
  lastImage: string | undefined;
  ticks: boolean;
  /** Its platform's state at the last snapshot (destination keys). */
  lastState: RelayState | undefined;
}

/** Draws the visible keys; `show` on willAppear/settings change, `hide` on willDisappear, `refresh` per snapshot. */
export class KeyPainter {
  readonly #keys = new Map<string, ShownKey>();
  readonly #snapshot: () => BridgeSnapshot;
  readonly #now: () => number;
  readonly #tickMs: number;
  readonly #lang: Lang;
  readonly #onError: (error: unknown) => void;
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor(options: KeyPainterOptions) {
    this.#snapshot = options.snapshot;
    this.#now = options.now ?? Date.now;
    this.#tickMs = options.tickMs ?? 1_000;
    this.#lang = options.lang ?? "en";
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Starts drawing a key (or redraws it with new content); always sends its image. */
  show(surface: KeySurface, content: KeyContent): void {
    // What is true when the key appears is shown, not alerted.
    this.#keys.set(surface.id, { surface, content, lastImage: undefined, ticks: false, lastState: keyDestinationState(content, this.#snapshot()) });
    this.#paint(this.#keys.get(surface.id)!, this.#snapshot());
    this.#updateTicker();
  }

  hide(id: string): void {
    this.#keys.delete(id);
    this.#updateTicker();
  }

  /** What a visible key shows (for the actions, which act on the same view the streamer sees). */
  contentOf(id: string): KeyContent | undefined {
    return this.#keys.get(id)?.content;
  }

  /** Redraws every visible key from `snapshot`; unchanged images are not sent again. */
  refresh(snapshot: BridgeSnapshot = this.#snapshot()): void {
    for (const key of this.#keys.values()) {
      this.#paint(key, snapshot);
      this.#alertIfFailed(key, snapshot);
    }
    this.#updateTicker();
  }

  dispose(): void {
    this.#keys.clear();
    this.#updateTicker();
  }

  #paint(key: ShownKey, snapshot: BridgeSnapshot): void {
    const picture = pictureFor(key.content, snapshot, this.#now(), this.#lang);
    key.ticks = picture.ticks;
    const image = svgDataUrl(picture.svg);
    if (image === key.lastImage) return;
    key.lastImage = image;
    key.surface.setImage(image).catch((error: unknown) => {
      // Sent nothing after all: let the next refresh try again.
      if (key.lastImage === image) key.lastImage = undefined;
      this.#onError(error);
    });
  }

  #alertIfFailed(key: ShownKey, snapshot: BridgeSnapshot): void {
    const state = keyDestinationState(key.content, snapshot);
    // A lost bridge says nothing of the platform: the state before it is kept to compare with.
    if (state === undefined && !snapshot.reachable) return;
    const failed = wentFailed(key.lastState, state);
    key.lastState = state;
    if (failed) key.surface.showAlert?.().catch((error: unknown) => this.#onError(error));
  }

  #updateTicker(): void {
    const needed = [...this.#keys.values()].some((key) => key.ticks);
    if (needed && this.#ticker === undefined) {
      this.#ticker = setInterval(() => this.#tick(), this.#tickMs);
    } else if (!needed && this.#ticker !== undefined) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
  }

  #tick(): void {
    const snapshot = this.#snapshot();
    for (const key of this.#keys.values()) if (key.ticks) this.#paint(key, snapshot);
    this.#updateTicker();
  }
}

// Telling the streamer out loud when a switched-on platform fails or comes back, for when the page is
// not what they are looking at: a short sound (their choice, kept in this browser) and a browser
// notification (asked once, when they ask for it). What to tell comes from summary.ts.

import type { DestinationView } from "../contract/api.js";
import { describeState, stateLabel } from "./describe.js";
import { setText } from "./dom.js";
import { pageLang, tr } from "./page-language.js";
import type { AlertEvent } from "./summary.js";

const SOUND_KEY = "relay.alertSound";
const NOTIFY_KEY = "relay.alertNotify";

export interface Alerts {
  /** Plays and shows what `events` say (views give each destination's last error). */
  tell(events: readonly AlertEvent[], views: readonly DestinationView[]): void;
}

/** Wires the sound checkbox and the "Notify me" button of the summary. */
export function mountAlerts(sound: HTMLInputElement, notify: HTMLButtonElement): Alerts {
  let audio: AudioContext | undefined;
  sound.checked = read(SOUND_KEY) === "on";
  // The audio context is made on a click: browsers only let a page play after the person acted.
  const ensureAudio = () => {
    if (!audio && typeof AudioContext === "function") audio = new AudioContext();
    void audio?.resume().catch(() => undefined);
  };
  sound.addEventListener("change", () => {
    store(SOUND_KEY, sound.checked ? "on" : "off");
    if (sound.checked) {
      ensureAudio();
      beep("recovered");
    }
  });
  // Asked for again after a reload too, when it was on: the context needs a click first.
  document.addEventListener("pointerdown", () => sound.checked && ensureAudio(), { once: true });

  const supported = typeof Notification === "function";
  const notifying = () => supported && Notification.permission === "granted" && read(NOTIFY_KEY) === "on";
  const showNotify = () => {
    notify.hidden = !supported;
    if (!supported) return;
    const denied = Notification.permission === "denied";
    notify.disabled = denied;
    notify.setAttribute("aria-pressed", String(notifying()));
    setText(notify, tr(denied ? "page.alerts.notifyDenied" : notifying() ? "page.alerts.notifyOn" : "page.alerts.notify"));
  };
  notify.title = tr("page.alerts.notifyTitle");
  sound.closest("label")?.setAttribute("title", tr("page.alerts.soundTitle"));
  notify.addEventListener("click", async () => {
    if (notifying()) store(NOTIFY_KEY, "off");
    else {
      // The browser asks the person once; a refusal stays until they change it in its settings.
      const permission = Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
      store(NOTIFY_KEY, permission === "granted" ? "on" : "off");
    }
    showNotify();
  });
  showNotify();

  /** Two short tones: falling for a failure, rising for a platform back. */
  function beep(kind: AlertEvent["kind"]): void {
    if (!audio) return;
    const tones = kind === "failed" ? [880, 440] : [523, 784];
    const start = audio.currentTime + 0.02;
    tones.forEach((frequency, index) => {
      const oscillator = audio!.createOscillator();
      const gain = audio!.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.2, start + index * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.001, start + index * 0.18 + 0.16);
      oscillator.connect(gain).connect(audio!.destination);
      oscillator.start(start + index * 0.18);
      oscillator.stop(start + index * 0.18 + 0.17);
    });
  }

  return {
    tell(events, views) {
      if (events.length === 0) return;
      if (sound.checked) {
        ensureAudio();
        beep(events.some((event) => event.kind === "failed") ? "failed" : "recovered");
      }
      if (!notifying()) return;
      const lang = pageLang();
      for (const event of events) {
        const view = views.find((one) => one.id === event.id);
        const title = event.kind === "failed" ? tr("page.alerts.failed", { name: event.name, state: stateLabel(event.state, lang) }) : tr("page.alerts.recovered", { name: event.name });
        const body = event.kind === "failed" ? (view?.lastError ?? describeState(event.state, null, null, lang)) : "";
        try {
          // One notification per destination: a newer one replaces the older.
          new Notification(title, { body, tag: `relay-${event.id}` });
        } catch {
          // Some browsers only notify from a service worker: the sound and the page still say it.
        }
      }
    },
  };
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not kept across visits; it still applies now.
  }
}

// Total upload in the header against the uplink: the figure the streamer types (kept by the bridge as
// `uplink.kbps`, and in this browser until the bridge has it) or, while the uplink is full, what the
// bridge measured it to carry.

import type { StatusView } from "../contract/api.js";
import { setAttr, setText } from "./dom.js";
import { formatBitrate } from "../presentation/format.js";
import { tn } from "../presentation/i18n/translate.js";
import { parseUplinkMbps, totalUploadKbps, uploadLevel } from "../presentation/upload.js";
import { pageLang, tr } from "./page-language.js";

const STORAGE_KEY = "relay.uplinkMbps";

export interface UploadPanel {
  update(status: StatusView): void;
}

/** Fills the `#upload` element; `save` sends the typed uplink figure (kbit/s, 0: none) to the bridge. */
export function mountUploadPanel(root: HTMLElement, save?: (kbps: number) => Promise<void>): UploadPanel {
  const total = root.querySelector<HTMLElement>(".upload-total")!;
  const warning = root.querySelector<HTMLElement>(".upload-warning")!;
  const input = root.querySelector<HTMLInputElement>("input[name=uplink]")!;
  input.value = readStored();
  let last: StatusView | undefined;

  input.addEventListener("input", () => {
    store(input.value);
    if (last) render(last);
  });
  input.addEventListener("change", () => void save?.(parseUplinkMbps(input.value)).catch(() => undefined));

  const render = (status: StatusView) => {
    last = status;
    const totalKbps = totalUploadKbps(status);
    // The bridge's figure when this browser has none; the measured one while the uplink is full.
    const configured = status.uplink?.configuredKbps ?? 0;
    if (input.value.trim() === "" && configured > 0 && document.activeElement !== input) input.value = String(configured / 1000);
    const measured = status.uplink?.full ? (status.uplink.estimateKbps ?? 0) : 0;
    const uplinkKbps = measured > 0 ? measured : parseUplinkMbps(input.value);
    const level = uploadLevel(totalKbps, uplinkKbps);
    // A held session still sends (the stand-in): it counts like a live one.
    const live = status.destinations.filter((destination) => destination.state === "live" || destination.state === "holding").length;
    setText(total, tn(pageLang(), "page.upload.total", live, { bitrate: formatBitrate(totalKbps, pageLang()) }));
    setAttr(root, "data-level", level);
    const share = uplinkKbps > 0 ? Math.round((totalKbps / uplinkKbps) * 100) : 0;
    const message =
      measured > 0 ? tr("page.upload.measured", { kbps: formatBitrate(measured, pageLang()) })
      : level === "over" ? tr("page.upload.over", { share })
      : level === "near" ? tr("page.upload.near", { share })
      : "";
    setText(warning, message);
    warning.hidden = message === "";
  };
  return { update: render };
}

function readStored(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? "";
  } catch {
    return "";
  }
}

function store(value: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, value);
  } catch {
    // Not kept across visits; it still applies now.
  }
}

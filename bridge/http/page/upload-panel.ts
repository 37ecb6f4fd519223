// Total upload in the header, and the uplink figure the streamer sets to be warned near it.

import type { StatusView } from "../../shared/api.js";
import { setAttr, setText } from "./dom.js";
import { formatBitrate } from "../../shared/format.js";
import { tn } from "../../shared/i18n/translate.js";
import { parseUplinkMbps, totalUploadKbps, uploadLevel } from "../../shared/upload.js";
import { pageLang, tr } from "./page-language.js";

const STORAGE_KEY = "relay.uplinkMbps";

export interface UploadPanel {
  update(status: StatusView): void;
}

/** Fills the `#upload` element; the uplink figure stays in this browser. */
export function mountUploadPanel(root: HTMLElement): UploadPanel {
  const total = root.querySelector<HTMLElement>(".upload-total")!;
  const warning = root.querySelector<HTMLElement>(".upload-warning")!;
  const input = root.querySelector<HTMLInputElement>("input[name=uplink]")!;
  input.value = readStored();
  let last: StatusView | undefined;

  input.addEventListener("input", () => {
    store(input.value);
    if (last) render(last);
  });

  const render = (status: StatusView) => {
    last = status;
    const totalKbps = totalUploadKbps(status);
    const uplinkKbps = parseUplinkMbps(input.value);
    const level = uploadLevel(totalKbps, uplinkKbps);
    // A held session still sends (the stand-in): it counts like a live one.
    const live = status.destinations.filter((destination) => destination.state === "live" || destination.state === "holding").length;
    setText(total, tn(pageLang(), "page.upload.total", live, { bitrate: formatBitrate(totalKbps, pageLang()) }));
    setAttr(root, "data-level", level);
    const share = uplinkKbps > 0 ? Math.round((totalKbps / uplinkKbps) * 100) : 0;
    const message =
      level === "over" ? tr("page.upload.over", { share })
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

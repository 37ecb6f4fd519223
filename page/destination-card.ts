// One destination on the page: platform, state badge, switch, numbers, last error, actions and its
// recent log. Built once and updated in place, so focus and an open log survive every update.

import type { DestinationView, HistorySeries } from "../contract/api.js";
import { platformBadge } from "../contract/platforms.js";
import { h, setAttr, setText } from "./dom.js";
import { formatBitrate, formatBytes, formatFps, formatSince, secondsUntil } from "../presentation/format.js";
import { tn } from "../presentation/i18n/translate.js";
import { badgeColors, describeState, stateLabel, warningText } from "./describe.js";
import { errorMessage, pageLang, tr } from "./page-language.js";
import { createHistoryGraph } from "./history-graph.js";

/** A card's graph: its series of the bridge's history, and how far back it reaches. */
export interface CardHistory {
  series: HistorySeries | undefined;
  spanMs: number;
}
import { encodeNoteText, lastErrorText } from "./bridge-words.js";

/** What a card asks the page to do; each answers when done and reports its own failures. */
export interface CardActions {
  setEnabled(id: string, enabled: boolean): Promise<void>;
  retry(id: string): Promise<void>;
  edit(view: DestinationView): void;
  remove(view: DestinationView): Promise<void>;
  readLog(id: string): Promise<string[]>;
  /** Re-encodes the destination within its platform's limits (the card shows the button only then). */
  fit(view: DestinationView): Promise<void>;
  /** What "Fit to <platform>" would do now, or null when it has nothing to fit. */
  fitFor(view: DestinationView): { platform: string; reencode?: true } | null;
}

export interface DestinationCard {
  element: HTMLElement;
  update(view: DestinationView, history: CardHistory, now: number): void;
  /** Shows a failure of an action started from this card. */
  showProblem(message: string): void;
  /** The destination is gone: stop reading its log. */
  dispose(): void;
  /** The bridge does not answer: nothing on the card can be done until it does. */
  setStale(stale: boolean): void;
}

const LOG_REFRESH_MS = 2000;

export function createDestinationCard(initial: DestinationView, actions: CardActions): DestinationCard {
  let view = initial;
  const domId = `dest-${cssSafe(initial.id)}`;
  const badge = h("span", { class: "platform-badge", "aria-hidden": "true" });
  const title = h("h3", { id: `${domId}-name`, class: "dest-name" });
  // "720p · 3M" under the name when it has its own quality; its encoder and CPU share beside the numbers.
  const qualityLabel = h("span", { class: "quality-label" });
  const cost = h("span", { class: "cost" });
  const encodeNote = h("p", { class: "encode-note", hidden: true });
  const fit = h("button", { type: "button", class: "fit", hidden: true });
  // The id is what Companion, curl and the API name a destination by.
  const idLabel = h("code", { class: "dest-id", title: tr("page.card.idTitle") });
  const toggle = h("button", { type: "button", role: "switch", class: "switch", "aria-checked": "false" }, h("span", { class: "switch-knob", "aria-hidden": "true" }));
  const state = h("span", { class: "badge state-badge" });
  const uptime = h("span", { class: "uptime", title: tr("page.card.uptimeTitle") });
  const stateText = h("p", { class: "state-text" });
  const bitrate = h("span", { class: "bitrate" });
  const graph = createHistoryGraph(initial.name);
  const sent = h("span", { class: "sent" });
  const fps = h("span", { class: "fps" });
  const restarts = h("span", { class: "restarts" });
  const server = h("p", { class: "server" });
  const warning = h("p", { class: "warning", role: "note", hidden: true });
  const lastError = h("p", { class: "last-error", hidden: true });
  const problem = h("p", { class: "problem", role: "alert", hidden: true });
  const retry = h("button", { type: "button", class: "retry" }, tr("page.card.retry"));
  const edit = h("button", { type: "button", class: "edit" }, tr("page.card.edit"));
  const remove = h("button", { type: "button", class: "delete danger" }, tr("page.card.delete"));
  const logText = h("pre", { class: "log-lines", tabindex: "0" });
  const copyLog = h("button", { type: "button", class: "copy-log link" }, tr("page.card.copyLog"));
  const log = h("details", { class: "log" }, h("summary", {}, tr("page.card.log")), copyLog, logText);

  const element = h(
    "article",
    { class: "card", id: domId, "data-id": initial.id, "aria-labelledby": `${domId}-name` },
    h("header", { class: "card-head" }, badge, title, toggle),
    h("p", { class: "card-sub" }, qualityLabel, idLabel),
    h("div", { class: "state-row" }, state, uptime),
    stateText,
    h("div", { class: "metrics" }, bitrate, h("span", { class: "numbers" }, fps, sent, restarts, cost)),
    graph.element,
    server,
    encodeNote,
    warning,
    fit,
    lastError,
    problem,
    h("div", { class: "card-actions" }, retry, edit, remove),
    log,
  );

  const busy = async (button: HTMLButtonElement, work: () => Promise<void>) => {
    button.disabled = true;
    problem.hidden = true;
    try {
      await work();
    } finally {
      button.disabled = stale;
    }
  };
  let stale = false;
  // start/stop rather than toggle: a click means what the switch showed, even if another surface
  // changed it a moment earlier.
  toggle.addEventListener("click", () => busy(toggle, () => actions.setEnabled(view.id, !view.enabled)));
  retry.addEventListener("click", () => busy(retry, () => actions.retry(view.id)));
  fit.addEventListener("click", () => busy(fit, () => actions.fit(view)));
  edit.addEventListener("click", () => actions.edit(view));
  remove.addEventListener("click", () => busy(remove, () => actions.remove(view)));
  const dispose = () => {
    gone = true;
    clearTimeout(logTimer);
  };

  let logTimer: ReturnType<typeof setTimeout> | undefined;
  let gone = false;
  const refreshLog = async () => {
    clearTimeout(logTimer);
    if (!log.open || gone) return;
    try {
      const lines = await actions.readLog(view.id);
      // Newest first: what just went wrong is at the top, not under a scroll.
      setText(logText, lines.length > 0 ? [...lines].reverse().join("\n") : tr("page.card.logEmpty"));
    } catch (error) {
      // 404: the destination was deleted (here or elsewhere); its log is gone with it.
      if ((error as { status?: number }).status === 404) gone = true;
      setText(logText, tr("page.card.logFailed", { message: errorMessage(error) }));
    }
    if (log.open && !gone && element.isConnected) logTimer = setTimeout(refreshLog, LOG_REFRESH_MS);
  };
  log.addEventListener("toggle", () => void refreshLog());
  copyLog.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(logText.textContent ?? "");
      setText(copyLog, tr("page.card.logCopied"));
    } catch {
      // No clipboard (a page over plain HTTP on the LAN): select the lines for Ctrl-C.
      const range = document.createRange();
      range.selectNodeContents(logText);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      setText(copyLog, tr("page.copy.select"));
    }
    setTimeout(() => setText(copyLog, tr("page.card.copyLog")), 2000);
  });

  return {
    element,
    update(next, history, now) {
      view = next;
      const lang = pageLang();
      const platform = platformBadge(next.platform, next.name);
      element.style.setProperty("--platform", platform.color);
      const colors = badgeColors(platform.color);
      badge.style.background = colors.background;
      badge.style.color = colors.text;
      setAttr(element, "data-state", next.state);
      setText(badge, platform.short);
      setText(title, next.name);
      setText(idLabel, tr("page.card.id", { id: next.id }));
      setAttr(toggle, "aria-checked", String(next.enabled));
      setAttr(toggle, "aria-label", tr(next.enabled ? "page.card.switchOn" : "page.card.switchOff", { name: next.name }));
      setAttr(state, "data-state", next.state);
      setText(state, stateLabel(next.state, lang));
      // On air, the timer is the platform session's: it goes on through a hold.
      setText(uptime, next.state === "off" ? "" : formatSince(next.sessionSince ?? next.since, now));
      const retryIn = next.state === "retrying" ? secondsUntil(next.retryAt, now) : null;
      const holdFor = next.state === "holding" ? secondsUntil(next.holdUntil ?? null, now) : null;
      setText(stateText, describeState(next.state, retryIn, holdFor, lang));
      const flowing = next.state === "live" || next.state === "starting" || next.state === "holding";
      setText(bitrate, flowing ? formatBitrate(next.bitrateKbps, lang) : "—");
      setText(fps, flowing && next.fps > 0 ? `${formatFps(next.fps, lang)} fps` : "");
      setText(restarts, tn(lang, "page.card.restarts", next.restarts));
      const relays = next.source !== undefined || (next.input && next.input !== "•••") ? tr("page.card.relays", { source: next.input ?? next.source ?? "" }) : "";
      setText(server, `${next.url} · ${tr(next.hasKey ? "page.card.keySet" : "page.card.noKey")} · ${next.transport}${relays}`);
      setText(qualityLabel, qualityText(next, lang));
      setAttr(qualityLabel, "data-encoded", String(next.encodeLabel !== undefined));
      const costParts = [next.encoder, next.cpuPercent !== undefined ? tr("page.card.cpu", { percent: formatFps(next.cpuPercent, lang) }) : undefined].filter(Boolean);
      setText(cost, flowing && costParts.length > 0 ? ` · ${costParts.join(" · ")}` : next.encoder ? ` · ${next.encoder}` : "");
      setText(encodeNote, next.encodeNote ? encodeNoteText(next.encodeNote, lang) : "");
      encodeNote.hidden = !next.encodeNote;
      setText(warning, warningText(next, lang));
      warning.hidden = !next.warning;
      const fitting = actions.fitFor(next);
      fit.hidden = fitting === null;
      if (fitting) {
        setText(fit, fitting.reencode ? tr("page.card.fix.reencodeH264") : tr("page.card.fit", { platform: fitting.platform }));
        setAttr(fit, "title", tr("page.card.fitTitle", { platform: fitting.platform }));
      }
      setText(lastError, next.lastError ? tr("page.card.lastError", { message: lastErrorText(next.lastError, lang) }) : "");
      lastError.hidden = !next.lastError;
      retry.hidden = next.state !== "retrying" && next.state !== "failed";
      graph.update(history.series, now, history.spanMs);
      // The session's total: it goes on through a hold, like the timer.
      setText(sent, next.sentBytes !== undefined ? tr("page.card.sent", { bytes: formatBytes(next.sentBytes, lang) }) : "");
    },
    showProblem(message) {
      setText(problem, message);
      problem.hidden = false;
    },
    dispose,
    setStale(now) {
      stale = now;
      setAttr(element, "data-stale", String(stale));
      for (const button of [toggle, retry, fit, edit, remove]) button.disabled = stale;
    },
  };
}

/** "720p · 3.0 Mb/s" under the name: the bridge's label with the bitrate in the page's words. */
export function qualityText(view: Pick<DestinationView, "encodeLabel" | "encode">, lang: "en" | "fr"): string {
  if (!view.encodeLabel) return tr("page.card.copy");
  if (!view.encode) return view.encodeLabel;
  return [...view.encodeLabel.split(" · ").slice(0, -1), formatBitrate(view.encode.video.bitrateKbps, lang)].join(" · ");
}

function cssSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, "_");
}

// The summary at the top of the page: every destination at once ("2 live · 1 retrying · 1 failed")
// with Retry for the failing ones, who they are, "Go live everywhere" and "Stop all", the sound and
// notification choices, and the tab's title; when the bridge stops answering, since when.

import type { DestinationView, StatusView } from "../contract/api.js";
import { mountAlerts } from "./alerts.js";
import { setAttr, setText } from "./dom.js";
import { errorMessage, pageLang, tr } from "./page-language.js";
import { pageTitle, summarize, summaryText, trackAlerts } from "./summary.js";

export interface SummaryActions {
  /** The status the page shows now (undefined before the first one). */
  statusNow(): StatusView | undefined;
  /** Starts or stops every destination; reports what failed itself. */
  all(verb: "start" | "stop"): Promise<void>;
  /** Tries each of these destinations again now. */
  retry(ids: readonly string[]): Promise<void>;
  showNotice(message: string): void;
}

export interface SummaryPanel {
  /** Redraws from the status shown (`down`: the bridge does not answer). */
  update(status: StatusView | undefined, down: boolean): void;
  /** Follows each new status for what deserves a sound or a notification. */
  follow(destinations: readonly DestinationView[]): void;
  /** The bridge stopped answering at `since` (ms), or answers again (null). */
  setStale(since: number | null): void;
}

/** Fills the `#summary` section of index.html. */
export function mountSummary(root: HTMLElement, actions: SummaryActions): SummaryPanel {
  const text = root.querySelector<HTMLElement>(".summary-text")!;
  const retry = root.querySelector<HTMLButtonElement>(".summary-retry")!;
  const problems = root.querySelector<HTMLElement>(".summary-problems")!;
  const stale = root.querySelector<HTMLElement>(".stale")!;
  const goLive = root.querySelector<HTMLButtonElement>(".go-live-all")!;
  const stopAll = root.querySelector<HTMLButtonElement>(".stop-all")!;
  const alerts = mountAlerts(root.querySelector<HTMLInputElement>("input[name=alert-sound]")!, root.querySelector<HTMLButtonElement>(".alert-notify")!);
  retry.title = tr("page.summary.retryTitle");
  let failing: ReadonlySet<string> | undefined;
  let down = false;
  let problemIds: string[] = [];

  const run = async (button: HTMLButtonElement, work: () => Promise<void>) => {
    button.disabled = true;
    actions.showNotice("");
    try {
      await work();
    } catch (error) {
      actions.showNotice(errorMessage(error));
    } finally {
      button.disabled = down;
    }
  };
  goLive.addEventListener("click", () => void run(goLive, () => actions.all("start")));
  stopAll.addEventListener("click", () => {
    if (!window.confirm(tr("page.summary.confirmStopAll"))) return;
    void run(stopAll, () => actions.all("stop"));
  });
  retry.addEventListener("click", () => void run(retry, () => actions.retry(problemIds)));

  return {
    update(status, isDown) {
      down = isDown;
      const lang = pageLang();
      if (isDown !== (goLive.dataset.down === "true")) {
        goLive.dataset.down = String(isDown);
        for (const button of [goLive, stopAll, retry]) button.disabled = isDown;
      }
      if (!status) {
        document.title = pageTitle(summarize([]), lang, isDown);
        return;
      }
      const summary = summarize(status.destinations);
      problemIds = summary.problems;
      setText(text, summaryText(summary, lang));
      setAttr(root, "data-problems", String(summary.problems.length));
      setAttr(root, "data-live", String(summary.counts.live + summary.counts.holding));
      retry.hidden = summary.problems.length === 0;
      const names = status.destinations.filter((view) => summary.problems.includes(view.id)).map((view) => view.name);
      setText(problems, names.length > 0 ? tr("page.summary.problems", { names: names.join(", ") }) : "");
      problems.hidden = names.length === 0;
      goLive.hidden = summary.total === 0 || summary.on === summary.total;
      stopAll.hidden = summary.on === 0;
      const title = pageTitle(summary, lang, isDown);
      if (document.title !== title) document.title = title;
    },
    follow(destinations) {
      const track = trackAlerts(failing, destinations);
      failing = track.failing;
      alerts.tell(track.events, destinations);
    },
    setStale(since) {
      stale.hidden = since === null;
      if (since !== null) setText(stale, tr("page.stale", { time: new Date(since).toLocaleTimeString(pageLang() === "fr" ? "fr-FR" : "en-GB") }));
    },
  };
}

// The page's summary of every destination at once, so a failure cannot hide in a card further down:
// the line at the top ("2 live · 1 retrying · 1 failed"), the tab's title, the cards' order (problems
// first), and which changes are worth a sound or a notification. Pure.

import type { DestinationView, RelayState } from "../contract/api.js";
import { t, tn, type Lang } from "../presentation/i18n/translate.js";

/** A switched-on destination that is not getting through: the streamer must see it. */
export function isProblem(view: Pick<DestinationView, "enabled" | "state">): boolean {
  return view.enabled && (view.state === "retrying" || view.state === "failed");
}

/** The states the summary counts, in the order it says them. */
const COUNTED = ["live", "holding", "starting", "waiting", "retrying", "failed"] as const;
type Counted = (typeof COUNTED)[number];

/** How many destinations are in each state that matters, and which are problems. */
export interface Summary {
  counts: Readonly<Record<Counted, number>>;
  /** Ids of the problems, in the bridge's order. */
  problems: string[];
  /** Destinations switched on. */
  on: number;
  total: number;
}

export function summarize(destinations: readonly DestinationView[]): Summary {
  const counts = Object.fromEntries(COUNTED.map((state) => [state, 0])) as Record<Counted, number>;
  for (const view of destinations) {
    if ((COUNTED as readonly RelayState[]).includes(view.state)) counts[view.state as Counted] += 1;
  }
  return {
    counts,
    problems: destinations.filter(isProblem).map((view) => view.id),
    on: destinations.filter((view) => view.enabled).length,
    total: destinations.length,
  };
}

/** "2 live · 1 retrying · 1 failed"; what is switched on when nothing is in those states. */
export function summaryText(summary: Summary, lang: Lang): string {
  const parts = COUNTED.filter((state) => summary.counts[state] > 0).map((state) => tn(lang, `page.summary.${state}`, summary.counts[state]));
  if (parts.length > 0) return parts.join(" · ");
  if (summary.total === 0) return t(lang, "page.summary.none");
  return t(lang, "page.summary.allOff");
}

/** The tab's title: problems first (seen from another tab), then what is live, then the name alone. */
export function pageTitle(summary: Summary, lang: Lang, bridgeDown: boolean): string {
  if (bridgeDown) return t(lang, "page.title.down");
  if (summary.problems.length > 0) return tn(lang, "page.title.problems", summary.problems.length);
  if (summary.counts.live + summary.counts.holding > 0) return tn(lang, "page.title.live", summary.counts.live + summary.counts.holding);
  return "Relay";
}

/** The destinations in the order the page shows them: problems first, then the bridge's order. */
export function problemsFirst<T extends Pick<DestinationView, "enabled" | "state">>(destinations: readonly T[]): T[] {
  return [...destinations.filter(isProblem), ...destinations.filter((view) => !isProblem(view))];
}

/** A change the streamer is told of out loud: a switched-on platform failing, or back after failing. */
export interface AlertEvent {
  kind: "failed" | "recovered";
  id: string;
  name: string;
  state: RelayState;
}

/** The problems being followed (told as failed, not yet told as back) and what to tell now. */
export interface AlertTrack {
  failing: ReadonlySet<string>;
  events: AlertEvent[];
}

/**
 * What deserves a sound or a notification in a new status: a switched-on destination that goes
 * retrying or failed, and the same one once it is live again (through starting, which tells nothing).
 * `failing` is undefined for the first status seen: a page just opened follows what is failing then
 * but tells nothing of it. A destination switched off or deleted is no longer followed.
 */
export function trackAlerts(failing: ReadonlySet<string> | undefined, next: readonly DestinationView[]): AlertTrack {
  if (!failing) return { failing: new Set(next.filter(isProblem).map((view) => view.id)), events: [] };
  const still = new Set<string>();
  const events: AlertEvent[] = [];
  for (const view of next) {
    const was = failing.has(view.id);
    if (isProblem(view)) {
      still.add(view.id);
      if (!was) events.push({ kind: "failed", id: view.id, name: view.name, state: view.state });
    } else if (was && view.enabled) {
      if (view.state === "live") events.push({ kind: "recovered", id: view.id, name: view.name, state: view.state });
      else still.add(view.id);
    }
  }
  return { failing: still, events };
}

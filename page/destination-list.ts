// The destination cards: problems first (a failing platform cannot sit unseen at the bottom), then the
// most important (by priority), then in the order the bridge lists them; cards are reused across updates.

import type { DestinationView } from "../contract/api.js";
import { createDestinationCard, type CardActions, type CardHistory, type DestinationCard } from "./destination-card.js";
import { problemsFirst } from "./summary.js";

export interface DestinationList {
  update(destinations: readonly DestinationView[], history: (id: string) => CardHistory, now: number): void;
  card(id: string): DestinationCard | undefined;
  /** The bridge does not answer (true) or answers again (false). */
  setStale(stale: boolean): void;
}

/** Fills `container` (and shows `empty` when there is no destination). */
export function mountDestinationList(container: HTMLElement, empty: HTMLElement, actions: CardActions): DestinationList {
  const cards = new Map<string, DestinationCard>();
  let stale = false;
  return {
    update(destinations, history, now) {
      const seen = new Set<string>();
      problemsFirst(byPriority(destinations)).forEach((view, index) => {
        seen.add(view.id);
        let card = cards.get(view.id);
        if (!card) {
          card = createDestinationCard(view, actions);
          card.setStale(stale);
          cards.set(view.id, card);
        }
        card.update(view, history(view.id), now);
        // Move only when out of place: moving a focused element would drop the focus.
        if (container.children[index] !== card.element) container.insertBefore(card.element, container.children[index] ?? null);
      });
      for (const [id, card] of cards) {
        if (seen.has(id)) continue;
        card.dispose();
        card.element.remove();
        cards.delete(id);
      }
      empty.hidden = destinations.length > 0;
    },
    card: (id) => cards.get(id),
    setStale(now) {
      stale = now;
      for (const card of cards.values()) card.setStale(now);
    },
  };
}

/** The destinations by priority (1 first), in the bridge's order within one priority. */
export function byPriority(destinations: readonly DestinationView[]): DestinationView[] {
  return destinations
    .map((view, index) => ({ view, index }))
    .sort((a, b) => (a.view.priority ?? 5) - (b.view.priority ?? 5) || a.index - b.index)
    .map(({ view }) => view);
}

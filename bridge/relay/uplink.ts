// The home uplink, as a pure decision taken once a second from every relay's figures: is it full,
// what does it carry, and which destinations give way or come back. The relay fleet carries the
// decisions out (a destination that gives way stops reading, one that comes back reads again).
//
// A relay is held back when what it sent is more than HELD_BEHIND_MS behind the media it was fed.
// One relay held back alone is its platform's problem; the uplink is full when relays are held back
// together (two or more), or when one is and the destinations on air want more than the uplink is
// known to carry. While full, what they send together is what the uplink carries (the estimate).
//
//  situation                               decision
//  --------------------------------------  ------------------------------------------------------------
//  full, settled                           the least important on air that may give way (priority 9
//                                          first, then the last listed) give way, one or more until what
//                                          the rest want fits the estimate, never the last one on air;
//                                          settle SETTLE_MS. Its coming back waits the probe
//                                          delay, doubled (up to probeMaxMs) when it gave way again
//                                          within STABLE_FACTOR × the delay of a coming back.
//  not full, settled, some gave way        the most important that gave way comes back once its probe
//                                          delay has passed (a probe: the uplink may have room again);
//                                          settle SETTLE_MS, and the next one waits the delay again.
//  not full for STABLE_FACTOR × the delay  the probe delay goes back to probeInitialMs.
//  a destination leaves (off, no stream)   forgotten.

/** One enabled destination reading a stream, as the uplink sees it this second. */
export interface UplinkSample {
  id: string;
  /** 1 (most important) … 9. */
  priority: number;
  /** false: forced on, never gives way. */
  giveWay: boolean;
  /** Its relay is live and sending (not given way, not starting). */
  onAir: boolean;
  /** What reaches its platform per second, kbit/s (null: not known yet). */
  sentKbps: number | null;
  /** What its stream carries, kbit/s (the ingest's rate for a copy, its own for a re-encode). */
  wantKbps: number;
  /** How far what it sent is behind the media fed to it, ms (null: not known yet). */
  behindMs: number | null;
}

export interface UplinkPolicy {
  /** The streamer's uplink figure, kbit/s (0: not given). */
  configuredKbps: number;
  probeInitialMs: number;
  probeMaxMs: number;
}

export interface UplinkState {
  full: boolean;
  /** What the uplink carries as last measured while full, else the figure given (null: not known). */
  estimateKbps: number | null;
  /** Destinations that gave way, with when. */
  gaveWay: ReadonlyMap<string, number>;
  /** No decision before this (the relays settle after each one). */
  settleUntil: number;
  /** The delay before a destination that gave way tries again. */
  probeDelayMs: number;
  /** When the next coming back may be tried (null: none gave way). */
  probeAt: number | null;
  /** When a destination last came back (null: none yet), and when the uplink was last full. */
  cameBackAt: number | null;
  fullAt: number | null;
}

export type UplinkAction = { type: "giveWay"; id: string } | { type: "comeBack"; id: string };

/** A relay this far behind the media fed to it is held back. */
export const HELD_BEHIND_MS = 2_000;
/** After a decision, none for this long: the relays' backlogs drain or grow first. */
export const SETTLE_MS = 5_000;
/** A coming back that lasts this many probe delays was no flap: the delay starts over. */
export const STABLE_FACTOR = 3;
/** What the destinations left on air may want of the estimate when some give way. */
const ROOM_SHARE = 0.9;

/** The state before any sample. */
export function initialUplink(policy: UplinkPolicy): UplinkState {
  return {
    full: false,
    estimateKbps: policy.configuredKbps > 0 ? policy.configuredKbps : null,
    gaveWay: new Map(),
    settleUntil: 0,
    probeDelayMs: policy.probeInitialMs,
    probeAt: null,
    cameBackAt: null,
    fullAt: null,
  };
}

/** What the relays on air send together, kbit/s. */
export function totalSentKbps(samples: readonly UplinkSample[]): number {
  return Math.round(samples.reduce((total, sample) => total + (sample.onAir ? (sample.sentKbps ?? 0) : 0), 0));
}

/** The decision of this second: the next state and what the fleet must do. */
export function decideUplink(state: UplinkState, samples: readonly UplinkSample[], policy: UplinkPolicy, now: number): { state: UplinkState; actions: UplinkAction[] } {
  const present = new Set(samples.map((sample) => sample.id));
  const gaveWay = new Map([...state.gaveWay].filter(([id]) => present.has(id)));
  const onAir = samples.filter((sample) => sample.onAir && !gaveWay.has(sample.id));
  const held = onAir.filter((sample) => (sample.behindMs ?? 0) > HELD_BEHIND_MS);
  const total = totalSentKbps(onAir);
  const wanted = onAir.reduce((sum, sample) => sum + sample.wantKbps, 0);
  const known = state.estimateKbps ?? (policy.configuredKbps > 0 ? policy.configuredKbps : null);
  const full = held.length >= 2 || (held.length === 1 && known !== null && wanted > known);
  let next: UplinkState = { ...state, gaveWay, full };
  if (full) next = { ...next, fullAt: now, estimateKbps: total > 0 ? total : next.estimateKbps };
  else if (total > (next.estimateKbps ?? 0) && state.estimateKbps !== null) next = { ...next, estimateKbps: total };
  if (gaveWay.size === 0) next = { ...next, probeAt: null };
  // A long calm: the probe delay starts over.
  const calmSince = Math.max(next.fullAt ?? 0, next.cameBackAt ?? 0);
  if (!full && next.probeDelayMs !== policy.probeInitialMs && now - calmSince >= STABLE_FACTOR * next.probeDelayMs) {
    next = { ...next, probeDelayMs: policy.probeInitialMs };
  }
  if (now < next.settleUntil) return { state: next, actions: [] };

  if (full) {
    // The least important give way until what the rest want fits what the uplink carries (at least one).
    const victims: UplinkSample[] = [];
    const candidates = onAir.filter((sample) => sample.giveWay);
    let remaining = onAir;
    let want = wanted;
    for (;;) {
      const victim = leastImportant(candidates.filter((sample) => !victims.includes(sample)));
      if (!victim || remaining.length < 2) break;
      if (victims.length > 0 && (next.estimateKbps === null || want <= next.estimateKbps * ROOM_SHARE)) break;
      victims.push(victim);
      remaining = remaining.filter((sample) => sample !== victim);
      want -= victim.wantKbps;
    }
    if (victims.length === 0) return { state: next, actions: [] };
    // Given way again soon after coming back: the link flaps, the next try waits longer.
    const flapped = next.cameBackAt !== null && now - next.cameBackAt < STABLE_FACTOR * next.probeDelayMs;
    const probeDelayMs = flapped ? Math.min(policy.probeMaxMs, next.probeDelayMs * 2) : next.probeDelayMs;
    const after = new Map(gaveWay);
    for (const victim of victims) after.set(victim.id, now);
    return {
      state: { ...next, gaveWay: after, probeDelayMs, probeAt: now + probeDelayMs, settleUntil: now + SETTLE_MS },
      actions: victims.map((victim) => ({ type: "giveWay", id: victim.id })),
    };
  }

  const waiting = samples.filter((sample) => gaveWay.has(sample.id));
  const candidate = mostImportant(waiting);
  if (!candidate) return { state: next, actions: [] };
  // Never sooner than its probe delay, whatever the estimate says: a link that just dropped is
  // overestimated (the rates are averaged over seconds), and a flapping one must not flap the platforms.
  const probeDue = next.probeAt !== null && now >= next.probeAt;
  if (!probeDue || held.length > 0) return { state: next, actions: [] };
  const after = new Map(gaveWay);
  after.delete(candidate.id);
  return {
    state: { ...next, gaveWay: after, cameBackAt: now, settleUntil: now + SETTLE_MS, probeAt: after.size > 0 ? now + Math.max(SETTLE_MS, next.probeDelayMs) : null },
    actions: [{ type: "comeBack", id: candidate.id }],
  };
}

/** Priority 9 first; within one priority, the last listed. */
function leastImportant(samples: readonly UplinkSample[]): UplinkSample | undefined {
  let found: UplinkSample | undefined;
  for (const sample of samples) if (!found || sample.priority >= found.priority) found = sample;
  return found;
}

/** Priority 1 first; within one priority, the first listed. */
function mostImportant(samples: readonly UplinkSample[]): UplinkSample | undefined {
  let found: UplinkSample | undefined;
  for (const sample of samples) if (!found || sample.priority < found.priority) found = sample;
  return found;
}

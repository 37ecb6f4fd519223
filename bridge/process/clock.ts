// Time as the supervisors see it: the current time and timers, passed in so tests can run them on a
// fake clock. The real clock looks the timer functions up at each call (a test's fake timers apply).

/** A timer as the clock returns it; only ever handed back to the same clock. */
export type TimerHandle = ReturnType<typeof globalThis.setTimeout>;

/** The current time and the timers a supervisor uses. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

/** Date.now and the global timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
  setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle),
};

// The bridge's stop request: SIGINT (Ctrl-C; on Windows the console's Ctrl-C), SIGTERM, and on
// Windows SIGBREAK (Ctrl-Break, and what a console close sends), listened for from the first moment
// so a stop during start-up (nginx's first start) still ends every child.

/** A stop request that may come at any time; `signalled` resolves with the first signal's name. */
export interface StopSignals {
  readonly requested: string | undefined;
  readonly signalled: Promise<string>;
}

/** The signals that mean "stop" on `platform`. */
export function stopSignalNames(platform: NodeJS.Platform): NodeJS.Signals[] {
  return platform === "win32" ? ["SIGINT", "SIGTERM", "SIGBREAK"] : ["SIGINT", "SIGTERM"];
}

/** Starts listening now; later signals are ignored (the stop under way finishes). */
export function listenForStop(target: Pick<NodeJS.EventEmitter, "on"> = process, platform: NodeJS.Platform = process.platform): StopSignals {
  let requested: string | undefined;
  let wake: (signal: string) => void = () => undefined;
  const signalled = new Promise<string>((resolve) => (wake = resolve));
  for (const signal of stopSignalNames(platform)) {
    target.on(signal, () => {
      if (requested !== undefined) return;
      requested = signal;
      wake(signal);
    });
  }
  return {
    get requested() {
      return requested;
    },
    signalled,
  };
}

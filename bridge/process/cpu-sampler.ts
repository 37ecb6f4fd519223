// Each relay's share of the CPU, read from its process every few seconds (pidusage: /proc on Linux,
// ps on macOS, PowerShell on Windows, which costs more to ask: less often there). One call for every
// relay at once; a process that ended between the list and the read is simply not in the answer.

import pidusage from "pidusage";

/** Percent of one core per pid (above 100 on several cores). */
export type ReadCpu = (pids: number[]) => Promise<Map<number, number>>;

const readWithPidusage: ReadCpu = async (pids) => {
  const shares = new Map<number, number>();
  try {
    const stats = await pidusage(pids);
    for (const [pid, stat] of Object.entries(stats)) if (stat && Number.isFinite(stat.cpu)) shares.set(Number(pid), stat.cpu);
  } catch {
    // One pid gone makes the whole batch fail: the others one by one.
    await Promise.all(
      pids.map((pid) =>
        pidusage(pid).then(
          (stat) => void (Number.isFinite(stat.cpu) && shares.set(pid, stat.cpu)),
          () => undefined,
        ),
      ),
    );
  }
  return shares;
};

export interface CpuSamplerOptions {
  /** The pid of each running relay, by destination id. */
  pids: () => ReadonlyMap<string, number>;
  /** New figures are in. */
  onSample: () => void;
  periodMs?: number;
  read?: ReadCpu;
}

export function defaultCpuPeriodMs(platform: NodeJS.Platform = process.platform): number {
  return platform === "win32" ? 5_000 : 2_000;
}

export class CpuSampler {
  #shares = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #reading = false;

  constructor(private readonly options: CpuSamplerOptions) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.sample(), this.options.periodMs ?? defaultCpuPeriodMs());
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (!this.options.read) pidusage.clear();
  }

  /** The relay's last share, percent of one core, rounded to a tenth; undefined while not running or not read yet. */
  percent(id: string): number | undefined {
    return this.#shares.get(id);
  }

  /** Reads every running relay once (a read still under way is not doubled). */
  async sample(): Promise<void> {
    if (this.#reading) return;
    const pids = this.options.pids();
    if (pids.size === 0 && this.#shares.size === 0) return;
    this.#reading = true;
    try {
      const read = pids.size === 0 ? new Map<number, number>() : await (this.options.read ?? readWithPidusage)([...pids.values()]);
      const shares = new Map<string, number>();
      for (const [id, pid] of pids) {
        const share = read.get(pid);
        if (share !== undefined) shares.set(id, Math.round(share * 10) / 10);
      }
      const changed = shares.size !== this.#shares.size || [...shares].some(([id, share]) => this.#shares.get(id) !== share);
      this.#shares = shares;
      if (changed) this.options.onSample();
    } catch {
      // Unreadable this time: the figures stay until the next read.
    } finally {
      this.#reading = false;
    }
  }
}

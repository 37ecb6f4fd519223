// What a V8 CPU profile (node --cpu-prof) says of where a process spent its time over a window: self time
// per function and per source file, as shares of the window's wall clock. Pure.

/** Where a function is: V8's zero-based line and column in the script at `url`. */
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** The original source of a place in a bundle (from its source map), or null when it has none. */
export type Locate = (url: string, line: number, column: number) => { source: string; line: number; name?: string } | null;

/** The parts of a .cpuprofile file this reads. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
  /** Microseconds, on the profile's own clock. */
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds between one sample and the one before (the first from startTime). */
  timeDeltas: number[];
}

export interface ProfileLine {
  /** "name (file:line)", or V8's own "(garbage collector)", "(program)", "(idle)". */
  what: string;
  /** Self time over the window, in % of one core. */
  percent: number;
}

export interface ProfileSummary {
  windowMs: number;
  /** Time not idle, % of one core (what the process cost). */
  busyPercent: number;
  functions: ProfileLine[];
  files: ProfileLine[];
}

/**
 * Self time of each function and file in the window [endTime − skipEndMs − windowMs, endTime − skipEndMs]
 * (the steady part, before a shutdown of `skipEndMs`), the `top` largest of each.
 */
export function summariseProfile(profile: CpuProfile, options: { windowMs: number; skipEndMs: number; top: number; root?: string; locate?: Locate }): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const to = profile.endTime - options.skipEndMs * 1000;
  const from = to - options.windowMs * 1000;
  const selfByNode = new Map<number, number>();
  let at = profile.startTime;
  for (let index = 0; index < profile.samples.length; index += 1) {
    at += profile.timeDeltas[index] ?? 0;
    // A sample stands for the time until the next one.
    const next = at + (profile.timeDeltas[index + 1] ?? 0);
    const start = Math.max(at, from);
    const end = Math.min(next, to);
    if (end <= start) continue;
    const id = profile.samples[index]!;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + (end - start));
  }
  const windowUs = to - from;
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfByNode) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    const original = frame.url ? options.locate?.(frame.url, frame.lineNumber, frame.columnNumber) : null;
    const file = original ? shortFile(original.source, options.root) : shortFile(frame.url, options.root);
    const line = original ? original.line : frame.lineNumber + 1;
    const what = file ? `${frame.functionName || original?.name || "(anonymous)"} (${file}:${line})` : frame.functionName;
    functions.set(what, (functions.get(what) ?? 0) + us);
    const fileKey = file || frame.functionName;
    files.set(fileKey, (files.get(fileKey) ?? 0) + us);
  }
  const lines = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.top)
      .map(([what, us]) => ({ what, percent: (us / windowUs) * 100 }));
  return {
    windowMs: windowUs / 1000,
    busyPercent: ((windowUs - idleUs) / windowUs) * 100,
    functions: lines(functions),
    files: lines(files),
  };
}

/** "bridge/media/feeder.ts" for a file of the project, "node:net" for Node's own, "" for V8's entries. */
function shortFile(url: string, root?: string): string {
  if (url === "") return "";
  const path = url.replace(/^file:\/\//, "");
  if (root && path.startsWith(root)) return path.slice(root.length).replace(/^\/+/, "");
  const inProject = /(?:^|\/)(bridge|src|node_modules)\/.*$/.exec(path);
  return inProject ? inProject[0].replace(/^\/+/, "") : path;
}

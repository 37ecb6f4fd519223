// A bridge that was killed (-9, crash, power loss) leaves its programs running. Their pid files in
// the runtime folder let the next bridge find and end them before it starts its own.

import { readFile, rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import psList from "ps-list";
import { killTree } from "./child-process.js";

/** Ends the process named in `pidFile` when it is still running and its name contains `expected`. */
export async function endStaleProcess(pidFile: string, expected: string): Promise<number | null> {
  let pid: number;
  try {
    pid = Number.parseInt((await readFile(pidFile, "utf8")).trim(), 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  const processes = await psList();
  const stale = processes.find((entry) => entry.pid === pid && `${entry.name} ${entry.cmd ?? ""}`.includes(expected));
  if (!stale) {
    await rm(pidFile, { force: true });
    return null;
  }
  await killTree(pid, "SIGKILL");
  for (let i = 0; i < 50 && isRunning(pid); i += 1) await sleep(20);
  await rm(pidFile, { force: true });
  return pid;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

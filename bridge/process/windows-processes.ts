// Windows: when each process was created, read through PowerShell (CIM), so a pid record is only
// acted on when the process behind the pid is the one the bridge started, never a later program
// that got the same pid.

import { execa } from "execa";

/** A running Windows process as the pid records need it. */
export interface WindowsProcess {
  pid: number;
  name: string;
  /** Creation time, ms since the epoch. */
  createdAt: number;
}

const LIST_SCRIPT =
  "Get-CimInstance Win32_Process | ForEach-Object { [pscustomobject]@{ pid = $_.ProcessId; name = $_.Name; " +
  "created = if ($_.CreationDate) { $_.CreationDate.ToUniversalTime().ToString('o') } else { $null } } } | ConvertTo-Json -Compress";

/** Every process with its creation time; null when the list cannot be read (no PowerShell, e.g. Wine). */
export async function listWindowsProcesses(): Promise<Map<number, WindowsProcess> | null> {
  const result = await execa("powershell.exe", ["-NoProfile", "-NonInteractive", "-Command", LIST_SCRIPT], {
    reject: false,
    windowsHide: true,
    timeout: 15_000,
  });
  if (result.exitCode !== 0) return null;
  return parseWindowsProcesses(String(result.stdout));
}

/** Parses the JSON the PowerShell list prints (one object or an array); entries without a creation time are left out. */
export function parseWindowsProcesses(json: string): Map<number, WindowsProcess> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.trim() || "[]");
  } catch {
    return null;
  }
  const entries = Array.isArray(parsed) ? parsed : [parsed];
  const processes = new Map<number, WindowsProcess>();
  for (const entry of entries as Array<Record<string, unknown>>) {
    const pid = Number(entry?.pid);
    const createdAt = typeof entry?.created === "string" ? Date.parse(entry.created) : Number.NaN;
    if (!Number.isInteger(pid) || !Number.isFinite(createdAt)) continue;
    processes.set(pid, { pid, name: String(entry.name ?? ""), createdAt });
  }
  return processes;
}

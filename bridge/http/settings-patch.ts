// Reads a `PATCH /api/settings` body (pure): which program paths to set, each a full path or "", and
// the ingest's and the bridge's ports.

import { badRequest } from "./errors.js";
import { parsePortsPatch } from "../config/settings-input.js";
import type { ProgramName, SettingsPatch } from "../../contract/api.js";

/** The programs a settings change may name. */
export const PROGRAMS: readonly ProgramName[] = ["nginx", "ffmpeg", "stunnel"];

/** Full path on any OS: `/usr/sbin/nginx`, `C:\nginx\nginx.exe`, `\\server\share\ffmpeg.exe`. */
export function isFullPath(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\");
}

/** The patch, trimmed, or a 400 naming the field at fault. Unknown fields are refused, by name. */
export function parseSettingsPatch(body: unknown): SettingsPatch & { binaries: Partial<Record<ProgramName, string>> } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Send a JSON object such as {\"binaries\":{\"nginx\":\"/usr/sbin/nginx\"}} or {\"ingest\":{\"port\":1936}}");
  const { binaries: raw, ...ports } = body as { binaries?: unknown };
  return { binaries: parseBinaries(raw), ...parsePortsPatch(ports) };
}

function parseBinaries(raw: unknown): Partial<Record<ProgramName, string>> {
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw badRequest("binaries: must be an object of program paths", "binaries");
  const binaries: Partial<Record<ProgramName, string>> = {};
  for (const [name, value] of Object.entries(raw)) {
    const field = `binaries.${name}`;
    if (!(PROGRAMS as readonly string[]).includes(name)) throw badRequest(`${field}: unknown program (one of ${PROGRAMS.join(", ")})`, field);
    if (typeof value !== "string") throw badRequest(`${field}: must be a path as text ("" to look on PATH)`, field);
    const path = value.trim().replace(/^"(.*)"$/, "$1");
    if (path.length > 4096 || /[\u0000-\u001f]/.test(path)) throw badRequest(`${field}: must be one path without control characters`, field);
    if (path !== "" && !isFullPath(path)) throw badRequest(`${field}: must be a full path, e.g. ${name === "nginx" ? "C:\\nginx\\nginx.exe or /usr/sbin/nginx" : `/usr/bin/${name}`}`, field);
    binaries[name as ProgramName] = path;
  }
  return binaries;
}

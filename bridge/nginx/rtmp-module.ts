// Where nginx's RTMP module is: compiled in (Windows builds, nginx-full) or a dynamic module to
// load (Debian's libnginx-mod-rtmp puts ngx_rtmp_module.so in the modules path).

import { access } from "node:fs/promises";
import { execa } from "execa";
import { ServiceUnavailableError } from "../process/service-supervisor.js";
import { installHint } from "../binaries/programs.mjs";
import { parseNginxBuildInfo, rtmpModuleCandidates } from "../binaries/programs.mjs";

// How `nginx -V` is read and where the module is looked for are in the program table, shared with
// the set-up script.
export { parseNginxBuildInfo, rtmpModuleCandidates, type NginxBuildInfo } from "../binaries/programs.mjs";

/** True when this nginx takes `-e` (error log at start-up; nginx 1.19.5 and later). */
export function supportsErrorLogFlag(version: string | null): boolean {
  if (!version) return false;
  const [major = 0, minor = 0, patch = 0] = version.split(".").map((part) => Number.parseInt(part, 10));
  return major > 1 || (major === 1 && (minor > 19 || (minor === 19 && patch >= 5)));
}

export interface NginxInspection {
  /** Module to load, null when compiled in. */
  rtmpModulePath: string | null;
  errorLogFlag: boolean;
}

/** What the bridge needs to know about an nginx binary; throws with the install hint when it has no RTMP module. */
export async function inspectNginx(nginxBinary: string): Promise<NginxInspection> {
  const { stderr, stdout } = await execa(nginxBinary, ["-V"], { reject: false, windowsHide: true });
  const info = parseNginxBuildInfo(`${stdout}\n${stderr}`);
  const errorLogFlag = supportsErrorLogFlag(info.version);
  if (info.rtmpStatic) return { rtmpModulePath: null, errorLogFlag };
  for (const candidate of rtmpModuleCandidates(info, nginxBinary)) {
    try {
      await access(candidate);
      return { rtmpModulePath: candidate, errorLogFlag };
    } catch {
      // try the next place
    }
  }
  throw new ServiceUnavailableError(`nginx at ${nginxBinary} has no RTMP module: ${installHint("nginx")}`);
}

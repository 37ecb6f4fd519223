// Where nginx's RTMP module is: compiled in (Windows builds, nginx-full) or a dynamic module to
// load (Debian's libnginx-mod-rtmp puts ngx_rtmp_module.so in the modules path).

import { access } from "node:fs/promises";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { ServiceUnavailableError } from "../process/service-supervisor.js";
import { installHint } from "../binaries/install-hints.js";

export interface NginxBuildInfo {
  version: string | null;
  /** The RTMP module is compiled into the binary. */
  rtmpStatic: boolean;
  modulesPath: string | null;
  prefix: string | null;
}

/** Reads `nginx -V` output. */
export function parseNginxBuildInfo(text: string): NginxBuildInfo {
  const version = /nginx version: \S+?\/(\S+)/.exec(text)?.[1] ?? null;
  const option = (name: string) => new RegExp(`--${name}=("[^"]*"|\\S+)`).exec(text)?.[1]?.replace(/^"|"$/g, "") ?? null;
  const rtmpStatic = /--add-module=\S*rtmp/i.test(text);
  return { version, rtmpStatic, modulesPath: option("modules-path"), prefix: option("prefix") };
}

/** Places a dynamic ngx_rtmp_module.so may be, most likely first. */
export function rtmpModuleCandidates(info: NginxBuildInfo, nginxBinary: string): string[] {
  const file = "ngx_rtmp_module.so";
  const folders = [
    info.modulesPath,
    info.prefix ? join(info.prefix, "modules") : null,
    join(dirname(nginxBinary), "..", "lib", "nginx", "modules"),
    join(dirname(nginxBinary), "modules"),
    "/usr/lib/nginx/modules",
    "/usr/lib64/nginx/modules",
    "/usr/local/lib/nginx/modules",
    "/opt/homebrew/lib/nginx/modules",
  ];
  return [...new Set(folders.filter((folder): folder is string => Boolean(folder)).map((folder) => join(folder, file)))];
}

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

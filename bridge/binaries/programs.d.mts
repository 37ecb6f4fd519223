// Types of programs.mjs (plain JavaScript, so the set-up script can run it before `npm ci`).

/** The programs the bridge runs. */
export type ProgramName = "nginx" | "ffmpeg" | "stunnel";

/** Every entry of the table: the programs and the tools the set-up script looks for. */
export type TableProgram = ProgramName | "brew";

/** A piece `npm run relay` may find missing: "rtmp" means nginx is there without its RTMP module. */
export type MissingPiece = "nginx" | "rtmp" | "ffmpeg" | "stunnel" | "chromium" | "openssl" | "ps" | "fonts" | "obs";

/** The OS and its environment that a search depends on (injected in tests). */
export interface SearchPlace {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
}

export interface ProgramEntry {
  label: string;
  names: { posix: readonly string[]; win32: readonly string[] };
  places: Partial<Record<NodeJS.Platform, readonly string[]>>;
  install: {
    apt?: readonly string[];
    brew?: { command?: string; formula?: string };
    windows?: string;
    other?: string;
  };
}

export const PROGRAMS: Record<TableProgram, ProgramEntry>;

/** Pieces only the tests need. */
export const TEST_PIECES: readonly MissingPiece[];

export function binaryNames(program: TableProgram, platform: NodeJS.Platform): string[];
export function wellKnownPaths(program: TableProgram, where: SearchPlace): string[];
export function installHint(program: ProgramName, platform?: NodeJS.Platform): string;

export interface InstallAdviceInput {
  missing: readonly MissingPiece[];
  platform: NodeJS.Platform;
  isRoot?: boolean;
  hasAptGet?: boolean;
  hasBrew?: boolean;
}

export type InstallAdvice = { run: string[][]; steps?: undefined } | { steps: string[]; run?: undefined };

export function aptPackages(missing: readonly MissingPiece[]): string[];
export function installAdvice(input: InstallAdviceInput): InstallAdvice;

export function findIn(folders: readonly string[], names: readonly string[], where?: Partial<SearchPlace>): string | null;

export type Located =
  | { path: string; from: "config" | "path" | "place"; configured?: undefined }
  | { path: null; configured?: string; from?: undefined };

export function locateProgram(program: TableProgram, configured: string | undefined, where?: Partial<SearchPlace>): Located;

/** What `nginx -V` says. */
export interface NginxBuildInfo {
  version: string | null;
  /** The RTMP module is compiled into the binary. */
  rtmpStatic: boolean;
  modulesPath: string | null;
  prefix: string | null;
}

export function parseNginxBuildInfo(text: string): NginxBuildInfo;
export function rtmpModuleCandidates(info: NginxBuildInfo, nginxBinary: string): string[];

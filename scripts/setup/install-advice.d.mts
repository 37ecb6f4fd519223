// Types of install-advice.mjs (plain JavaScript so it runs before `npm ci`).

/** A piece the bridge needs: "rtmp" means nginx is there without its RTMP module. */
export type MissingPiece = "nginx" | "rtmp" | "ffmpeg" | "stunnel" | "chromium" | "openssl" | "ps" | "fonts" | "obs";

/** Pieces only the tests need. */
export const TEST_PIECES: readonly MissingPiece[];

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

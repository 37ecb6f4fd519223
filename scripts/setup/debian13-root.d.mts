// Types of debian13-root.mjs (the set-up script runs it as plain JavaScript before any build).

export declare const ROOT_PACKAGES: string[];

export interface Debian13Paths {
  root: string;
  building: string;
  bin: string;
  ffmpeg: string;
  ffprobe: string;
  obs: string;
}

export declare function testCacheDir(env?: NodeJS.ProcessEnv): string;
export declare function debian13Paths(cache?: string): Debian13Paths;
export declare function wrapperScript(root: string): string;
export declare function debianMirror(texts: string[]): string | null;
export declare function checkDebian13Root(paths?: Debian13Paths): string | null;
export declare function ensureDebian13Root(options?: { say?: (line: string) => void; paths?: Debian13Paths }): Promise<string | null>;

// How to install each program Relay runs, per OS: shown whenever one is missing.

export type ProgramName = "nginx" | "ffmpeg" | "stunnel";

const HINTS: Record<ProgramName, Partial<Record<NodeJS.Platform, string>> & { other: string }> = {
  nginx: {
    linux: "sudo apt-get install nginx libnginx-mod-rtmp (Debian/Ubuntu)",
    darwin: "brew tap denji/nginx && brew install nginx-full --with-rtmp-module",
    win32: "download an nginx build with the RTMP module (e.g. nginx-rtmp-win32), unzip it and set binaries.nginx to its nginx.exe",
    other: "install nginx with the RTMP module (nginx-rtmp-module) and set binaries.nginx",
  },
  ffmpeg: {
    linux: "sudo apt-get install ffmpeg",
    darwin: "brew install ffmpeg",
    win32: "winget install Gyan.FFmpeg (or unzip an ffmpeg build and set binaries.ffmpeg to ffmpeg.exe)",
    other: "install ffmpeg and set binaries.ffmpeg",
  },
  stunnel: {
    linux: "sudo apt-get install stunnel4",
    darwin: "brew install stunnel",
    win32: "install stunnel from stunnel.org (or winget install stunnel) and set binaries.stunnel to stunnel.exe",
    other: "install stunnel and set binaries.stunnel",
  },
};

/** The install command or step for `program` on `platform`. */
export function installHint(program: ProgramName, platform: NodeJS.Platform = process.platform): string {
  return HINTS[program][platform] ?? HINTS[program].other;
}

// The program table: what `npm run relay` tells a newcomer to install, on each OS, for each missing
// piece, the one-line hint the bridge shows, and a search the set-up script makes as the bridge would.

import { describe, expect, it } from "vitest";
import { aptPackages, installAdvice, installHint, locateProgram } from "../../../bridge/binaries/programs.mjs";

describe("install advice", () => {
  it("nothing missing: nothing to do", () => {
    expect(installAdvice({ missing: [], platform: "linux", isRoot: true, hasAptGet: true })).toEqual({ steps: [] });
  });

  it("Debian/Ubuntu as root: runs apt-get for exactly the missing packages", () => {
    expect(installAdvice({ missing: ["nginx", "ffmpeg", "stunnel"], platform: "linux", isRoot: true, hasAptGet: true })).toEqual({
      run: [["apt-get", "update"], ["apt-get", "install", "-y", "nginx", "libnginx-mod-rtmp", "ffmpeg", "stunnel4"]],
    });
    expect(aptPackages(["rtmp"])).toEqual(["libnginx-mod-rtmp"]);
    expect(aptPackages(["nginx", "rtmp"])).toEqual(["nginx", "libnginx-mod-rtmp"]);
    expect(aptPackages(["obs"])).toEqual(["obs-studio", "xvfb", "xauth", "libgl1-mesa-dri"]);
  });

  it("Debian/Ubuntu as a user: the sudo command to copy, nothing run", () => {
    expect(installAdvice({ missing: ["ffmpeg"], platform: "linux", isRoot: false, hasAptGet: true })).toEqual({
      steps: ["sudo apt-get update && sudo apt-get install -y ffmpeg"],
    });
  });

  it("macOS: Homebrew commands, nginx-full with the RTMP module in place of a plain nginx", () => {
    const { steps } = installAdvice({ missing: ["rtmp", "ffmpeg", "stunnel"], platform: "darwin", hasBrew: true });
    expect(steps).toEqual([
      expect.stringMatching(/^brew uninstall nginx\b/),
      "brew tap denji/nginx && brew install nginx-full --with-rtmp-module",
      "brew install ffmpeg stunnel",
    ]);
    expect(installAdvice({ missing: ["ffmpeg"], platform: "darwin", hasBrew: false }).steps?.[0]).toMatch(/https:\/\/brew\.sh/);
  });

  it("Windows: where to get each program and where to put it; never run", () => {
    const advice = installAdvice({ missing: ["nginx", "ffmpeg", "stunnel"], platform: "win32", isRoot: false });
    expect(advice.run).toBeUndefined();
    expect(advice.steps?.join("\n")).toMatch(/C:\\nginx\\nginx\.exe/);
    expect(advice.steps?.join("\n")).toMatch(/winget install --exact --id Gyan\.FFmpeg/);
    expect(advice.steps?.join("\n")).toMatch(/stunnel\.org/);
  });

  it("another Linux without apt-get: says what to look for in its packages", () => {
    const { steps } = installAdvice({ missing: ["nginx", "ffmpeg"], platform: "linux", hasAptGet: false, isRoot: true });
    expect(steps).toHaveLength(2);
    expect(steps?.[0]).toMatch(/RTMP module/);
  });

  it("the bridge's one-line hint and the set-up's steps give the same command per OS", () => {
    for (const program of ["nginx", "ffmpeg", "stunnel"] as const) {
      const mac = installAdvice({ missing: [program], platform: "darwin", hasBrew: true }).steps!.join("\n");
      expect(mac).toContain(installHint(program, "darwin"));
      const windows = installAdvice({ missing: [program], platform: "win32" }).steps!.join("\n");
      expect(windows).toContain(installHint(program, "win32"));
      const apt = installAdvice({ missing: [program], platform: "linux", hasAptGet: true }).steps!.join("\n");
      expect(installHint(program, "linux")).toContain(apt.replace(/^.*install -y /, ""));
    }
  });

  it("a search for the set-up script: a configured path that points at nothing is named, not replaced", () => {
    expect(locateProgram("ffmpeg", "/nonexistent/ffmpeg", { platform: "linux", env: {} })).toEqual({ path: null, configured: "/nonexistent/ffmpeg" });
    expect(locateProgram("nginx", "", { platform: "win32", env: { PATH: "" } })).toEqual({ path: null });
  });
});

import type { EncoderView } from "../../../contract/api.js";
import { describe, expect, it } from "vitest";
import { describeFfmpegVersion, judgeFfmpegVersion, parseFfmpegVersion } from "../../../bridge/ffmpeg/version.js";
import { FfmpegProgram, oldFfmpegMessage } from "../../../bridge/ffmpeg/ffmpeg-program.js";
import { ServiceUnavailableError } from "../../../bridge/process/service-supervisor.js";
import { findBinary } from "../../../bridge/binaries/find-binary.js";

const lines = (first: string, lavf: string) =>
  `ffmpeg version ${first} Copyright (c) 2000-2024 the FFmpeg developers\r\nbuilt with gcc 12\r\nlibavutil      57. 28.100 / 57. 28.100\r\nlibavformat    ${lavf} / ${lavf}\r\n`;

// First lines as the builds print them: Debian 12 and 11, BtbN/Johnvansickle static, gyan.dev
// (Windows release and git builds), Homebrew, and the Windows git build of @ffmpeg-installer/win32-x64.
const SAMPLES = {
  debian12: lines("5.1.9-0+deb12u1", "59. 27.100"),
  debian11: lines("4.3.8-0+deb11u1", "58. 45.100"),
  static44: lines("n4.4.1", "58. 76.100"),
  gyanRelease: lines("7.0.2-essentials_build-www.gyan.dev", "61.  1.100"),
  gyanGit: lines("2024-09-12-git-504c1ffcd8-full_build-www.gyan.dev", "61.  6.100"),
  homebrew: lines("7.1", "61.  7.100"),
  windowsGit2018: lines("N-92722-gf22fcd4483", "58. 24.101"),
  ubuntu2004: lines("4.2.7-0ubuntu0.1", "58. 29.100"),
};

describe("ffmpeg's version", () => {
  it("is read from every kind of build", () => {
    expect(parseFfmpegVersion(SAMPLES.debian12)).toEqual({ label: "5.1.9-0+deb12u1", release: { major: 5, minor: 1 }, libavformat: { major: 59, minor: 27 } });
    expect(parseFfmpegVersion(SAMPLES.static44)?.release).toEqual({ major: 4, minor: 4 });
    expect(parseFfmpegVersion(SAMPLES.gyanGit)).toMatchObject({ release: null, libavformat: { major: 61, minor: 6 } });
    expect(parseFfmpegVersion(SAMPLES.windowsGit2018)).toMatchObject({ label: "N-92722-gf22fcd4483", release: null, libavformat: { major: 58, minor: 24 } });
    expect(parseFfmpegVersion("nginx version: nginx/1.22.1")).toBeNull();
  });

  it("is 4.4 or newer for the relays (-stats_period); git builds are judged by libavformat", () => {
    expect(judgeFfmpegVersion(parseFfmpegVersion(SAMPLES.debian12))).toBe("ok");
    expect(judgeFfmpegVersion(parseFfmpegVersion(SAMPLES.static44))).toBe("ok");
    expect(judgeFfmpegVersion(parseFfmpegVersion(SAMPLES.gyanRelease))).toBe("ok");
    expect(judgeFfmpegVersion(parseFfmpegVersion(SAMPLES.gyanGit))).toBe("ok");
    expect(judgeFfmpegVersion(parseFfmpegVersion(SAMPLES.homebrew))).toBe("ok");
    expect(judgeFfmpegVersion(parseFfmpegVersion(SAMPLES.debian11))).toBe("old");
    expect(judgeFfmpegVersion(parseFfmpegVersion(SAMPLES.ubuntu2004))).toBe("old");
    expect(judgeFfmpegVersion(parseFfmpegVersion(SAMPLES.windowsGit2018))).toBe("old");
    expect(judgeFfmpegVersion(null)).toBe("unknown");
    expect(judgeFfmpegVersion({ label: "custom", release: null, libavformat: null })).toBe("unknown");
  });

  it("is shown with libavformat's when the build has no release number", () => {
    expect(describeFfmpegVersion(parseFfmpegVersion(SAMPLES.debian12)!)).toBe("5.1.9-0+deb12u1");
    expect(describeFfmpegVersion(parseFfmpegVersion(SAMPLES.windowsGit2018)!)).toBe("N-92722-gf22fcd4483 (libavformat 58.24)");
  });

  it("too old: the message names the version, the minimum and how to get a newer one on that OS", () => {
    const message = oldFfmpegMessage("/usr/bin/ffmpeg", parseFfmpegVersion(SAMPLES.debian11)!, "linux");
    expect(message).toContain("4.3.8-0+deb11u1");
    expect(message).toContain("ffmpeg 4.4 or newer");
    expect(message).toContain("-stats_period");
    expect(message).toContain("apt-get install ffmpeg");
    expect(oldFfmpegMessage("C:\\ffmpeg\\bin\\ffmpeg.exe", parseFfmpegVersion(SAMPLES.windowsGit2018)!, "win32")).toContain("winget");
  });
});

describe("the relays' ffmpeg (found and version injected)", () => {
  const program = (text: string | null, found: string | Error = "/opt/ffmpeg", detect: () => Promise<EncoderView[]> = () => new Promise(() => {})) => {
    let changes = 0;
    const ffmpeg = new FfmpegProgram({
      detectEncoders: detect,
      configured: () => "",
      find: async () => {
        if (found instanceof Error) throw found;
        return found;
      },
      readVersion: async () => (text === null ? null : parseFfmpegVersion(text)),
      platform: "linux",
    });
    ffmpeg.on("change", () => (changes += 1));
    return { ffmpeg, changes: () => changes };
  };

  it("is ready, with its version, when new enough", async () => {
    const { ffmpeg, changes } = program(SAMPLES.debian12);
    expect(ffmpeg.view.state).toBe("starting");
    await expect(ffmpeg.resolve()).resolves.toBe("/opt/ffmpeg");
    expect(ffmpeg.view).toEqual({ state: "ready", version: "5.1.9-0+deb12u1" });
    await ffmpeg.resolve();
    expect(changes()).toBe(1);
  });

  it("tries its encoders in the background: ready at once, the encoders in the view once tried", async () => {
    let finish: (views: EncoderView[]) => void = () => {};
    const tried: EncoderView[] = [{ family: "x264", codec: "libx264", works: true }];
    const { ffmpeg, changes } = program(SAMPLES.debian12, "/opt/ffmpeg", () => new Promise((resolve) => (finish = resolve)));
    await ffmpeg.resolve();
    expect(ffmpeg.view).toEqual({ state: "ready", version: "5.1.9-0+deb12u1" });
    expect(ffmpeg.encoders).toBeUndefined();
    const waiting = ffmpeg.encodersOf("/opt/ffmpeg");
    finish(tried);
    await expect(waiting).resolves.toEqual(tried);
    expect(ffmpeg.view).toEqual({ state: "ready", version: "5.1.9-0+deb12u1", encoders: tried });
    expect(ffmpeg.encoders).toEqual(tried);
    expect(changes()).toBe(2);
  });

  it("is refused when too old: status failed with the minimum, and no relay starts on it", async () => {
    const { ffmpeg } = program(SAMPLES.debian11);
    await expect(ffmpeg.resolve()).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(ffmpeg.view.state).toBe("failed");
    expect(ffmpeg.view.version).toBe("4.3.8-0+deb11u1");
    expect(ffmpeg.view.error).toContain("ffmpeg 4.4 or newer");
  });

  it("is missing, with the install hint, when not found; used as it is when its version cannot be read", async () => {
    const missing = program(SAMPLES.debian12, new ServiceUnavailableError("ffmpeg is not installed or not on PATH: sudo apt-get install ffmpeg"));
    await expect(missing.ffmpeg.resolve()).rejects.toThrow("not installed");
    expect(missing.ffmpeg.view).toEqual({ state: "missing", error: "ffmpeg is not installed or not on PATH: sudo apt-get install ffmpeg" });
    const unknown = program(null);
    await expect(unknown.ffmpeg.resolve()).resolves.toBe("/opt/ffmpeg");
    expect(unknown.ffmpeg.view).toEqual({ state: "ready" });
  });

  it("reads the real ffmpeg of this machine", async () => {
    const ffmpeg = new FfmpegProgram({ configured: () => "" });
    const binary = await ffmpeg.resolve();
    expect(binary).toBe(await findBinary("ffmpeg", ""));
    expect(ffmpeg.view.state).toBe("ready");
    expect(ffmpeg.view.version).toMatch(/^\S+/);
  });
});

describe("the status page's services panel", () => {
  it("shows ffmpeg's version beside its state", async () => {
    const { serviceStateText } = await import("../../../page/services-panel.js");
    expect(serviceStateText({ state: "ready", version: "5.1.9" })).toBe("ready · 5.1.9");
    expect(serviceStateText({ state: "running" })).toBe("running");
  });
});

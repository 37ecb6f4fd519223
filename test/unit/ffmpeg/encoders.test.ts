import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { detectEncoders, encoderInput, forgetEncoderProbes, parseEncoderList, probeArgs, probeFailure, resolveEncoder, type RunProbe } from "../../../bridge/ffmpeg/encoders.js";
import type { EncoderView } from "../../../contract/api.js";
import { ENCODER_FAMILIES } from "../../../contract/encode.js";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8");
const DEBIAN = fixture("ffmpeg-encoders-debian.txt");
const MINIMAL = fixture("ffmpeg-encoders-minimal.txt");

afterEach(() => forgetEncoderProbes());

describe("ffmpeg's encoders", () => {
  it("reads the video encoders of a real list, not its legend nor its audio encoders", () => {
    const names = parseEncoderList(DEBIAN);
    expect(names).toEqual(expect.arrayContaining(["libx264", "h264_nvenc", "h264_qsv", "h264_vaapi"]));
    expect(names).not.toContain("aac");
    expect(names).not.toContain("=");
    expect(parseEncoderList(MINIMAL)).toEqual(["libx264", "mpeg4"]);
  });

  it("tries each family on a few frames from system memory, vaapi through its device", () => {
    for (const family of ENCODER_FAMILIES) {
      const args = probeArgs(family);
      expect(args).toContain("-frames:v");
      expect(args.slice(-3)).toEqual(["-f", "null", "-"]);
    }
    expect(probeArgs("x264").join(" ")).toContain("-pix_fmt yuv420p -c:v libx264");
    expect(probeArgs("qsv").join(" ")).toContain("-pix_fmt nv12 -c:v h264_qsv");
    const vaapi = probeArgs("vaapi");
    expect(vaapi.indexOf("-init_hw_device")).toBeLessThan(vaapi.indexOf("-i"));
    expect(vaapi.join(" ")).toContain("-vf format=nv12,hwupload");
    expect(encoderInput("vaapi").pixelFormat).toBeNull();
  });

  it("says why a test encode failed in the encoder's own words", () => {
    expect(probeFailure("[h264_nvenc @ 0x5597d7bf13c0] Cannot load libcuda.so.1\nError initializing output stream 0:0 -- Error while opening encoder")).toBe("Cannot load libcuda.so.1");
    expect(probeFailure("Unknown encoder 'h264_amf'")).toBe("Unknown encoder 'h264_amf'");
    expect(probeFailure("")).toBe("the test encode failed");
    expect(probeFailure(`[x @ 0x1] ${"a".repeat(300)}`)).toHaveLength(198);
  });
});

describe("detecting which encoders work", () => {
  const probeWith = (results: Partial<Record<string, { ok: boolean; timedOut?: boolean; stderr?: string }>>, calls: string[] = []): RunProbe => async (_ffmpeg, args) => {
    const codec = args[args.indexOf("-c:v") + 1]!;
    calls.push(codec);
    const result = results[codec] ?? { ok: false, stderr: "[x @ 0x1] no such device" };
    return { ok: result.ok, timedOut: result.timedOut ?? false, stderr: result.stderr ?? "" };
  };

  it("gives one view per family: not listed, working, failing with its reason, timed out", async () => {
    const calls: string[] = [];
    const views = await detectEncoders("/opt/ffmpeg", {
      list: async () => DEBIAN,
      probe: probeWith({ libx264: { ok: true }, h264_nvenc: { ok: false, stderr: "[h264_nvenc @ 0xab] Cannot load libcuda.so.1" }, h264_qsv: { ok: false, timedOut: true } }, calls),
    });
    expect(views.map((view) => view.family)).toEqual([...ENCODER_FAMILIES]);
    const by = Object.fromEntries(views.map((view) => [view.family, view]));
    expect(by.x264).toEqual({ family: "x264", codec: "libx264", works: true });
    expect(by.nvenc).toEqual({ family: "nvenc", codec: "h264_nvenc", works: false, error: "Cannot load libcuda.so.1" });
    expect(by.qsv!.error).toBe("the test encode timed out after 10 s");
    expect(by.amf).toEqual({ family: "amf", codec: "h264_amf", works: false, error: "not in this ffmpeg" });
    // Only what the build lists is tried.
    expect(calls).toEqual(["libx264", "h264_nvenc", "h264_qsv", "h264_vaapi"]);
  });

  it("tries once per binary, and never throws", async () => {
    let lists = 0;
    const seams = { list: async () => (lists++, MINIMAL), probe: probeWith({ libx264: { ok: true } }) };
    await detectEncoders("/a/ffmpeg", seams);
    await detectEncoders("/a/ffmpeg", seams);
    expect(lists).toBe(1);
    await detectEncoders("/b/ffmpeg", seams);
    expect(lists).toBe(2);
    const broken = await detectEncoders("/c/ffmpeg", { list: async () => Promise.reject(new Error("spawn ENOENT")) });
    expect(broken.every((view) => !view.works && view.error!.includes("spawn ENOENT"))).toBe(true);
    const throwing = await detectEncoders("/d/ffmpeg", { list: async () => MINIMAL, probe: () => Promise.reject(new Error("killed")) });
    expect(throwing[0]).toEqual({ family: "x264", codec: "libx264", works: false, error: "killed" });
  });

  it("this machine's ffmpeg: x264 works; each hardware family is there or not, with why when not", async () => {
    const views = await detectEncoders("ffmpeg");
    expect(views).toHaveLength(ENCODER_FAMILIES.length);
    expect(views[0]).toEqual({ family: "x264", codec: "libx264", works: true });
    for (const view of views.filter((one) => !one.works)) expect(view.error).toBeTruthy();
  });
});

describe("which encoder a destination gets", () => {
  const views = (working: string[]): EncoderView[] => ENCODER_FAMILIES.map((family) => ({ family, codec: family, works: working.includes(family), ...(working.includes(family) ? {} : { error: "not in this ffmpeg" }) }));

  it("auto: the first hardware encoder that works, else x264, without a note", () => {
    expect(resolveEncoder("auto", views(["x264", "qsv", "vaapi"]))).toEqual({ family: "qsv" });
    expect(resolveEncoder("auto", views(["x264"]))).toEqual({ family: "x264" });
    expect(resolveEncoder("auto", undefined)).toEqual({ family: "x264" });
  });

  it("a named encoder that works is used; one that does not falls back to x264 and says why", () => {
    expect(resolveEncoder("nvenc", views(["x264", "nvenc"]))).toEqual({ family: "nvenc" });
    expect(resolveEncoder("nvenc", views(["x264"]))).toEqual({ family: "x264", note: "nvenc does not work with this ffmpeg (not in this ffmpeg): using x264" });
    expect(resolveEncoder("vaapi", undefined)).toEqual({ family: "x264", note: "vaapi is still being tried on this ffmpeg: using x264 for now" });
    expect(resolveEncoder("x264", views(["x264"]))).toEqual({ family: "x264" });
    expect(resolveEncoder("x264", views([])).note).toBe("x264 failed its test encode (not in this ffmpeg)");
  });
});

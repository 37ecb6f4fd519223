import { describe, expect, it } from "vitest";
import { buildEncodeArgs, encodeGlobalArgs, gopFrames, videoFilters, type EncodePlan } from "../../../bridge/ffmpeg/encode-args.js";
import { buildRelayArgs } from "../../../bridge/ffmpeg/relay-args.js";
import { ENCODER_FAMILIES, type EncodeSettings } from "../../../contract/encode.js";

const settings = (video: Partial<EncodeSettings["video"]> = {}, rest: Partial<EncodeSettings> = {}): EncodeSettings => ({
  video: { bitrateKbps: 3000, encoder: "auto", ...video },
  audio: { bitrateKbps: 160 },
  crop: "none",
  ...rest,
});
const source = { width: 1920, height: 1080, fps: 30 };
const flag = (args: string[], name: string) => args[args.indexOf(name) + 1];

describe("a re-encoding relay's output arguments", () => {
  it("x264: veryfast, zero latency, a capped bitrate with a 2 s buffer, a keyframe every 2 s, AAC", () => {
    const args = buildEncodeArgs({ encode: settings({ maxHeight: 720 }), family: "x264", source });
    expect(flag(args, "-c:v")).toBe("libx264");
    expect(flag(args, "-preset")).toBe("veryfast");
    expect(flag(args, "-tune")).toBe("zerolatency");
    expect(flag(args, "-b:v")).toBe("3000k");
    expect(flag(args, "-maxrate")).toBe("3000k");
    expect(flag(args, "-bufsize")).toBe("6000k");
    expect(flag(args, "-g")).toBe("60");
    expect(flag(args, "-keyint_min")).toBe("60");
    expect(flag(args, "-sc_threshold")).toBe("0");
    expect(flag(args, "-force_key_frames")).toBe("expr:gte(t,n_forced*2)");
    expect(flag(args, "-pix_fmt")).toBe("yuv420p");
    expect(flag(args, "-c:a")).toBe("aac");
    expect(flag(args, "-b:a")).toBe("160k");
    expect(flag(args, "-vf")).toBe("scale=w=-2:h='min(ih,720)'");
    // A stream the ingest lacks (audio-only, video-only) is skipped, not an error.
    expect(args.slice(0, 4)).toEqual(["-map", "0:v:0?", "-map", "0:a:0?"]);
  });

  it("every encoder family has its encoder, a bitrate cap and forced keyframes", () => {
    const names = { x264: "libx264", nvenc: "h264_nvenc", qsv: "h264_qsv", amf: "h264_amf", videotoolbox: "h264_videotoolbox", vaapi: "h264_vaapi" };
    for (const family of ENCODER_FAMILIES) {
      const args = buildEncodeArgs({ encode: settings(), family, source });
      expect(flag(args, "-c:v")).toBe(names[family]);
      expect(flag(args, "-maxrate")).toBe("3000k");
      expect(flag(args, "-force_key_frames")).toBe("expr:gte(t,n_forced*2)");
      expect(args).not.toContain("-c");
    }
    expect(flag(buildEncodeArgs({ encode: settings(), family: "nvenc", source }), "-rc")).toBe("cbr");
    expect(flag(buildEncodeArgs({ encode: settings(), family: "amf", source }), "-usage")).toBe("lowlatency");
    expect(flag(buildEncodeArgs({ encode: settings(), family: "videotoolbox", source }), "-realtime")).toBe("1");
  });

  it("vaapi uploads the frames to its device: a global device option and the upload at the filters' end", () => {
    const plan: EncodePlan = { encode: settings({ maxHeight: 720 }), family: "vaapi", source };
    expect(encodeGlobalArgs(plan).join(" ")).toContain("vaapi");
    expect(videoFilters(plan).at(-1)).toContain("hwupload");
    expect(buildEncodeArgs(plan)).not.toContain("-pix_fmt");
    expect(encodeGlobalArgs({ ...plan, family: "x264" })).toEqual([]);
  });

  it("cuts a centred 9:16 picture first, then caps the height, then the frame rate", () => {
    const plan: EncodePlan = { encode: settings({ maxHeight: 720, fps: 30 }, { crop: "vertical" }), family: "x264", source: { ...source, fps: 60 } };
    expect(videoFilters(plan)).toEqual(["crop=w='min(iw,trunc(ih*9/32)*2)':h=ih", "scale=w=-2:h='min(ih,720)'", "fps=30"]);
  });

  it("never raises the frame rate, and sizes the GOP for the frame rate sent", () => {
    expect(videoFilters({ encode: settings({ fps: 60 }), family: "x264", source })).toEqual([]);
    expect(gopFrames({ encode: settings({ fps: 60 }), family: "x264", source })).toBe(60);
    expect(gopFrames({ encode: settings({ fps: 30 }), family: "x264", source: { ...source, fps: 60 } })).toBe(60);
    expect(gopFrames({ encode: settings(), family: "x264", source: { ...source, fps: 59.94 } })).toBe(120);
    // Source not known yet: the frame rate asked, else 30.
    expect(videoFilters({ encode: settings({ fps: 24 }), family: "x264" })).toEqual(["fps=24"]);
    expect(gopFrames({ encode: settings(), family: "x264" })).toBe(60);
  });

  it("the relay command re-encodes instead of copying, and still reads stdin and pushes FLV", () => {
    const args = buildRelayArgs({ outputUrl: "rtmp://127.0.0.1:1935/app/key", encode: { encode: settings(), family: "x264", source } });
    expect(args).not.toContain("copy");
    expect(args.indexOf("-i")).toBeLessThan(args.indexOf("-c:v"));
    expect(flag(args, "-i")).toBe("pipe:0");
    expect(args.at(-1)).toBe("rtmp://127.0.0.1:1935/app/key");
    expect(flag(args, "-f")).toBe("flv");
    const copy = buildRelayArgs({ outputUrl: "rtmp://127.0.0.1:1935/app/key" });
    expect(copy.join(" ")).toContain("-map 0 -c copy");
    const vaapi = buildRelayArgs({ outputUrl: "rtmp://x/app/key", encode: { encode: settings(), family: "vaapi", source } });
    expect(vaapi.indexOf("-init_hw_device")).toBeLessThan(vaapi.indexOf("-i"));
  });
});

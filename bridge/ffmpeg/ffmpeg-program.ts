// The ffmpeg the relays run: found like every program (config path, PATH, install folders), its
// version checked once per binary, its H.264 encoders tried once per binary in the background (a
// start never waits for them), and the result kept as a view for the status (`services.ffmpeg`).

import { EventEmitter } from "node:events";
import { stat } from "node:fs/promises";
import { spawnChild } from "../process/child-process.js";
import type { EncoderView, ServiceView } from "../../contract/api.js";
import { detectEncoders } from "./encoders.js";
import { findBinary } from "../binaries/find-binary.js";
import { installHint } from "../binaries/programs.mjs";
import { ServiceUnavailableError } from "../process/service-supervisor.js";
import { describeFfmpegVersion, judgeFfmpegVersion, MIN_FFMPEG_TEXT, parseFfmpegVersion, readsEnhancedRtmp, type FfmpegVersion } from "./version.js";

/**
 * Runs `ffmpeg -version` and reads it; null when that fails. Done when ffmpeg exits, not when its
 * output closes: a process that inherited the pipes (seen under Wine) must not hang the check.
 */
export async function readFfmpegVersion(binary: string): Promise<FfmpegVersion | null> {
  const lines: string[] = [];
  // -hide_banner hides nothing of -version; older builds print the version on stderr.
  const child = spawnChild({ command: binary, args: ["-hide_banner", "-version"], onLine: (line) => lines.push(line) });
  const timer = setTimeout(() => void child.kill(), 30_000);
  try {
    await child.exited;
  } finally {
    clearTimeout(timer);
  }
  return parseFfmpegVersion(lines.join("\n"));
}

/** The message for an ffmpeg too old for Relay: what it is, the minimum, how to get a newer one. */
export function oldFfmpegMessage(binary: string, version: FfmpegVersion, platform: NodeJS.Platform = process.platform): string {
  return (
    `ffmpeg ${describeFfmpegVersion(version)} at ${binary} is too old: Relay needs ${MIN_FFMPEG_TEXT} ` +
    `(older ones refuse the relay's -stats_period option). Install a newer one: ${installHint("ffmpeg", platform)}; ` +
    `or set binaries.ffmpeg to a newer build`
  );
}

export interface FfmpegProgramOptions {
  /** binaries.ffmpeg from the config ("" = look on PATH). */
  configured: () => string;
  /** Injected in tests: finds the binary, reads its version. */
  find?: (configured: string) => Promise<string>;
  readVersion?: (binary: string) => Promise<FfmpegVersion | null>;
  /** Injected in tests: tries the binary's encoders. */
  detectEncoders?: (binary: string) => Promise<EncoderView[]>;
  platform?: NodeJS.Platform;
}

/** ffmpeg for the relays: `resolve()` before each start; `view` for the status (`change` when it moves). */
export class FfmpegProgram extends EventEmitter<{ change: [] }> {
  /** `starting` until the first check is done. */
  #view: ServiceView = { state: "starting" };
  readonly #versions = new Map<string, Promise<FfmpegVersion | null>>();
  /** Each binary's encoders once tried (absent while they are being tried). */
  readonly #encoders = new Map<string, EncoderView[]>();
  readonly #detecting = new Map<string, Promise<void>>();
  #binary: string | null = null;
  /** Whether the ffmpeg in use reads Enhanced RTMP (HEVC, AV1 from OBS); undefined until known. */
  #enhanced: boolean | undefined;

  constructor(private readonly options: FfmpegProgramOptions) {
    super();
  }

  /** `ready` (with its version), `missing` or `failed` (too old), with what to do in `error`. */
  get view(): ServiceView {
    return this.#view;
  }

  /** The ffmpeg to run; a ServiceUnavailableError saying what to install when none fits. */
  async resolve(): Promise<string> {
    let binary: string;
    try {
      binary = await (this.options.find ?? ((configured) => findBinary("ffmpeg", configured)))(this.options.configured());
    } catch (error) {
      this.#set({ state: "missing", error: (error as Error).message });
      throw error;
    }
    const version = await this.#version(binary);
    const verdict = judgeFfmpegVersion(version);
    if (verdict === "old") {
      const message = oldFfmpegMessage(binary, version!, this.options.platform);
      this.#set({ state: "failed", error: message, version: describeFfmpegVersion(version!) });
      throw new ServiceUnavailableError(message);
    }
    this.#binary = binary;
    this.#enhanced = readsEnhancedRtmp(version);
    this.#set(this.#readyView(binary, version));
    this.#detect(binary, version);
    return binary;
  }

  /** Whether the ffmpeg in use carries HEVC and AV1 from OBS (6.1 or newer); undefined until known. */
  get readsEnhancedRtmp(): boolean | undefined {
    return this.#enhanced;
  }

  /** The encoders of the ffmpeg in use, once tried; undefined while they are being tried. */
  get encoders(): EncoderView[] | undefined {
    return this.#binary === null ? undefined : this.#encoders.get(this.#binary);
  }

  /** The encoders of `binary`, waiting for their try when it is under way (a relay asking for a hardware encoder). */
  async encodersOf(binary: string): Promise<EncoderView[] | undefined> {
    await this.#detecting.get(binary);
    return this.#encoders.get(binary);
  }

  #readyView(binary: string, version: FfmpegVersion | null): ServiceView {
    const view: ServiceView = version ? { state: "ready", version: describeFfmpegVersion(version) } : { state: "ready" };
    const encoders = this.#encoders.get(binary);
    if (encoders) view.encoders = encoders;
    return view;
  }

  /** Tries `binary`'s encoders once, in the background; the view shows them when done. */
  #detect(binary: string, version: FfmpegVersion | null): void {
    if (this.#encoders.has(binary) || this.#detecting.has(binary)) return;
    const detection = (this.options.detectEncoders ?? detectEncoders)(binary)
      .then((encoders) => {
        this.#encoders.set(binary, encoders);
        if (this.#binary === binary && this.#view.state === "ready") this.#set(this.#readyView(binary, version));
      })
      .catch(() => undefined)
      .finally(() => this.#detecting.delete(binary));
    this.#detecting.set(binary, detection);
  }

  /** Probed once per binary and modification time (an upgrade in place is seen). */
  async #version(binary: string): Promise<FfmpegVersion | null> {
    const modified = await stat(binary).then((info) => info.mtimeMs, () => 0);
    const key = `${binary}\0${modified}`;
    let probe = this.#versions.get(key);
    if (!probe) {
      probe = (this.options.readVersion ?? readFfmpegVersion)(binary).catch(() => null);
      this.#versions.set(key, probe);
    }
    return probe;
  }

  #set(view: ServiceView): void {
    if (JSON.stringify(view) === JSON.stringify(this.#view)) return;
    this.#view = view;
    this.emit("change");
  }
}

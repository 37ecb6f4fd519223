// The real OBS Studio for tests: headless under Xvfb with software rendering, its own HOME with a
// profile (x264 ultrafast, 640x360 30 fps, keyframe every 2 s, reconnect every 2 s), a scene with a
// colour and a looping clip (so there is sound), and its WebSocket server on a free port with a password.

import { mkdtemp, mkdir, writeFile, rm, readFile, chmod } from "node:fs/promises";
import { openSync, closeSync, readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { freePort } from "./ports.js";
import { waitFor } from "./processes.js";

export interface ObsStudio {
  /** obs-websocket's address: ws://127.0.0.1:PORT */
  wsUrl: string;
  password: string;
  /** OBS's log so far. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

export interface ObsStudioOptions {
  /** OBS's stream service at start (a custom server and key). */
  server: string;
  key: string;
  password?: string;
}

const PROFILE = "Relay";
const SCENES = "Relay";

/** Starts Xvfb and OBS; resolves once OBS's WebSocket server listens. */
export async function startObsStudio(options: ObsStudioOptions): Promise<ObsStudio> {
  const dir = await mkdtemp(join(tmpdir(), "relay-obs-"));
  const home = join(dir, "home");
  const runtime = join(dir, "run");
  await mkdir(runtime, { recursive: true });
  await chmod(runtime, 0o700);
  const password = options.password ?? "obs-test-password";
  const wsPort = await freePort();
  const clip = join(dir, "clip.mp4");
  await execa("ffmpeg", [
    "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
    "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30",
    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
    "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", clip,
  ]);
  await writeObsConfig({ home, wsPort, password, clip, server: options.server, key: options.key });

  const display = await startXvfb(dir);
  const log = join(dir, "obs.log");
  const obs: ResultPromise = execa(
    "obs",
    ["--multi", "--disable-updater", "--disable-missing-files-check", "--minimize-to-tray"],
    {
      reject: false,
      stdin: "ignore",
      stdout: { file: log },
      stderr: { file: log },
      cwd: dir,
      env: {
        HOME: home,
        DISPLAY: display.name,
        XDG_RUNTIME_DIR: runtime,
        LIBGL_ALWAYS_SOFTWARE: "1",
        QT_QPA_PLATFORM: "xcb",
        http_proxy: "http://127.0.0.1:9",
        https_proxy: "http://127.0.0.1:9",
        no_proxy: "127.0.0.1,localhost",
      },
      extendEnv: true,
    },
  );
  let exited = false;
  void obs.then(() => (exited = true));
  const readLog = async () => readFile(log, "utf8").catch(() => "");
  const stop = async () => {
    if (!exited) obs.kill("SIGINT");
    const timer = setTimeout(() => obs.kill("SIGKILL"), 10_000);
    await obs;
    clearTimeout(timer);
    await display.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => {
      if (exited) throw new Error(`OBS exited at start:\n${(await readLog()).slice(-3000)}`);
      return (await readLog()).includes("Server started successfully on port");
    }, { what: "OBS's WebSocket server", timeoutMs: 40_000, intervalMs: 100 });
  } catch (error) {
    await stop();
    throw error;
  }
  return { wsUrl: `ws://127.0.0.1:${wsPort}`, password, log: readLog, stop };
}

async function startXvfb(dir: string): Promise<{ name: string; stop(): Promise<void> }> {
  // Xvfb picks a free display and writes its number on the given fd.
  const file = join(dir, "display");
  const fd = openSync(file, "w");
  const child = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x720x24", "-nolisten", "tcp"], { stdio: ["ignore", "ignore", "ignore", fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  let number = "";
  await waitFor(() => {
    number = readFileSync(file, "utf8").trim();
    return /^\d+$/.test(number);
  }, { what: "Xvfb", timeoutMs: 10_000, intervalMs: 50 });
  return {
    name: `:${number}`,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function writeObsConfig(o: { home: string; wsPort: number; password: string; clip: string; server: string; key: string }): Promise<void> {
  const base = join(o.home, ".config", "obs-studio");
  const profile = join(base, "basic", "profiles", PROFILE);
  const scenes = join(base, "basic", "scenes");
  await mkdir(profile, { recursive: true });
  await mkdir(scenes, { recursive: true });
  await writeFile(
    join(base, "global.ini"),
    ini({
      General: {
        FirstRun: "false", LastVersion: "486539266", EnableAutoUpdates: "false", ConfirmOnExit: "false",
        Pre19Defaults: "false", Pre21Defaults: "false", Pre23Defaults: "false", "Pre24.1Defaults": "false",
      },
      Basic: { Profile: PROFILE, ProfileDir: PROFILE, SceneCollection: SCENES, SceneCollectionFile: SCENES },
      BasicWindow: { PreviewEnabled: "false", SysTrayEnabled: "false", WarnBeforeStartingStream: "false", WarnBeforeStoppingStream: "false" },
      OBSWebSocket: {
        FirstLoad: "false", ServerEnabled: "true", ServerPort: String(o.wsPort), AlertsEnabled: "false",
        AuthRequired: "true", ServerPassword: o.password,
      },
    }),
  );
  await writeFile(
    join(profile, "basic.ini"),
    ini({
      General: { Name: PROFILE },
      Video: { BaseCX: "640", BaseCY: "360", OutputCX: "640", OutputCY: "360", FPSType: "0", FPSCommon: "30" },
      Audio: { SampleRate: "48000", ChannelSetup: "Stereo" },
      Output: { Mode: "Advanced", Reconnect: "true", RetryDelay: "2", MaxRetries: "20" },
      AdvOut: { Encoder: "obs_x264", TrackIndex: "1", Track1Bitrate: "128", ApplyServiceSettings: "false", RecEncoder: "none" },
    }),
  );
  await writeFile(join(profile, "streamEncoder.json"), JSON.stringify({ rate_control: "CBR", bitrate: 1000, keyint_sec: 2, preset: "ultrafast", profile: "main" }));
  await writeFile(join(profile, "service.json"), JSON.stringify({ type: "rtmp_custom", settings: { server: o.server, key: o.key } }));
  const sources = [
    {
      id: "scene", versioned_id: "scene", name: "Scene",
      settings: {
        id_counter: 2, custom_size: false,
        items: [
          { name: "Colour", id: 1, visible: true, locked: false, pos: { x: 0, y: 0 }, scale: { x: 1, y: 1 }, rot: 0, align: 5, bounds_type: 0 },
          { name: "Clip", id: 2, visible: true, locked: false, pos: { x: 320, y: 180 }, scale: { x: 1, y: 1 }, rot: 0, align: 5, bounds_type: 0 },
        ],
      },
    },
    { id: "color_source", versioned_id: "color_source_v3", name: "Colour", settings: { color: 4283215696, width: 640, height: 360 } },
    { id: "ffmpeg_source", versioned_id: "ffmpeg_source", name: "Clip", settings: { local_file: o.clip, is_local_file: true, looping: true, restart_on_activate: true } },
  ];
  await writeFile(
    join(scenes, `${SCENES}.json`),
    JSON.stringify({
      name: SCENES, current_scene: "Scene", current_program_scene: "Scene", scene_order: [{ name: "Scene" }],
      sources, groups: [], transitions: [], current_transition: "Fade", transition_duration: 300,
    }),
  );
}

function ini(sections: Record<string, Record<string, string>>): string {
  return Object.entries(sections)
    .map(([name, values]) => `[${name}]\n${Object.entries(values).map(([key, value]) => `${key}=${value}`).join("\n")}\n`)
    .join("\n");
}

// A reader of nginx-rtmp that joins after the publish, with nginx-rtmp on the bridge's own ingest config and
// Debian 13's ffmpeg 7.1 as OBS: nginx keeps AVC and AAC headers for late players, never HEVC or AV1 ones.
// The bridge's reader then says there is no video configuration and passes nothing on (the ingest gate has
// OBS reconnect); one that subscribes before the publish, as the bridge's does, gets every header. (nginx-rtmp's
// own default, `wait_key on`, would pass no HEVC frame at all.) Needs the Debian 13 test root.

import { afterEach, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { IngestSource, type IngestProblem } from "../../bridge/media/ingest-source.js";
import { renderNginxConfig, statPath } from "../../bridge/nginx/render-config.js";
import { parseStat } from "../../bridge/nginx/stat-parser.js";
import { startNginx, type RunningNginx } from "../../rig/platform.js";
import { freePort, portAccepts } from "../../rig/ports.js";
import { startObs, type Obs, type ObsOptions } from "../../rig/obs-stand-in.js";
import { waitFor } from "../../rig/processes.js";
import { requireDebian13, skipWithoutDebian13 } from "../../rig/debian13.js";

describe.skipIf(skipWithoutDebian13())("a reader that joins an ingest stream late", () => {
  let nginx: RunningNginx | undefined;
  let notify: Server | undefined;
  let dir: string | undefined;
  let obs: Obs | undefined;
  let source: IngestSource | undefined;

  afterEach(async () => {
    source?.end("test over");
    await obs?.stop();
    await nginx?.stop();
    notify?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** nginx on the config the bridge renders, its publish notifications accepted by a small server of ours. */
  const startIngest = async () => {
    dir = await mkdtemp(join(tmpdir(), "relay-late-reader-"));
    await mkdir(join(dir, "temp"), { recursive: true });
    notify = createServer((request, response) => {
      request.resume();
      response.end();
    });
    const notifyPort = await freePort();
    await new Promise<void>((done) => notify!.listen(notifyPort, "127.0.0.1", done));
    const port = await freePort();
    const statPort = await freePort();
    nginx = await startNginx({
      dir,
      render: ({ rtmpModulePath }) =>
        renderNginxConfig({ rtmpModulePath, runtimeDir: dir!, ingest: { host: "127.0.0.1", port, app: "live" }, notify: { port: notifyPort, secret: "n" }, statPort, statSecret: "s" }),
      ready: () => portAccepts(port),
      what: "the ingest nginx",
    });
    const bytesIn = async () => {
      const stat = parseStat(await (await fetch(`http://127.0.0.1:${statPort}${statPath("s")}`)).text());
      return stat.find((stream) => stream.name === "obs")?.bytesIn ?? 0;
    };
    return { url: `rtmp://127.0.0.1:${port}/live`, bytesIn };
  };

  /** nginx as the ingest, OBS publishing `video` to it, and a reader of the stream once `late` or before OBS. */
  const read = async (video: ObsOptions["video"], late: boolean) => {
    const { ffmpeg } = requireDebian13();
    const ingest = await startIngest();
    const problems: IngestProblem[] = [];
    const states: string[] = [];
    const publish = () => {
      obs = startObs({ url: `${ingest.url}/obs`, ffmpeg, video, size: "320x180", fps: 25, gopSeconds: 1, videoKbps: 300 });
    };
    if (late) {
      publish();
      await waitFor(async () => (await ingest.bytesIn()) > 40_000, { what: "OBS publishing", timeoutMs: 30_000 });
    }
    source = new IngestSource({
      serverUrl: ingest.url,
      streamName: "obs",
      stallMs: 5_000,
      onState: (_source, state) => states.push(state),
      onProblem: (_source, problem) => problems.push(problem),
    });
    await source.start();
    if (!late) publish();
    return { problems, states };
  };

  it("HEVC joined late: no video configuration, said once, nothing passed on", async () => {
    const { problems, states } = await read("hevc", true);
    await waitFor(() => problems.length > 0, { what: "the problem to be said", timeoutMs: 15_000 });
    await sleep(1_500);
    expect(problems).toEqual(["no_video_config"]);
    expect(states).not.toContain("flowing");
    expect(source!.cache.gop.length).toBe(0);
  });

  it("HEVC subscribed before the publish: every header, keyframes found, the codec and size read", async () => {
    const { problems } = await read("hevc", false);
    await waitFor(() => source!.state === "flowing" && source!.cache.keyframeIntervalMs !== null, { what: "HEVC flowing with two keyframes", timeoutMs: 30_000 });
    expect(problems).toEqual([]);
    expect(source!.format.video).toMatchObject({ codec: "hevc", width: 320, height: 180 });
    expect(source!.cache.gop[0]?.kind).toBe("keyframe");
  });

  it("H.264 joined late flows: nginx keeps its AVC header", async () => {
    const { problems } = await read("h264", true);
    await waitFor(() => source!.state === "flowing" && source!.cache.gop.length > 0, { what: "H.264 flowing from a keyframe", timeoutMs: 30_000 });
    expect(problems).toEqual([]);
    expect(source!.format.video?.codec).toBe("h264");
  });
});

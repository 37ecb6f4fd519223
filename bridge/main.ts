// The bridge's composition root: reads the command line and config, wires nginx, the relay engine
// and the HTTP app together, and stops everything on SIGINT/SIGTERM.

import { homedir } from "node:os";
import { resolve } from "node:path";
import type { AddressInfo } from "node:net";
import { createServer } from "node:http";
import { parseCli, isLoopbackHost, USAGE } from "./cli-options.js";
import { readVersion } from "./version.js";
import { defaultConfigPath, runtimeDirFor } from "./config/paths.js";
import { ConfigStore } from "./config/store.js";
import { ConfigError } from "./config/errors.js";
import { SecretRegistry } from "./secrets/redact.js";
import { createLogger, parseLogLevel } from "./log/logger.js";
import { startNotifyServer } from "./nginx/notify-server.js";
import { createNginxService } from "./nginx/nginx-service.js";
import { RelayEngine } from "./relay/engine.js";
import { createApp } from "./http/app.js";
import { pageRoutes } from "./http/routes/page-routes.js";
import { keyImageRoutes } from "./http/routes/key-image-routes.js";
import { freeLoopbackPort } from "./process/free-port.js";
import { PidRegistry } from "./process/pid-registry.js";
import { StunnelPool } from "./stunnel/stunnel-pool.js";
import { DataPlane } from "./media/data-plane.js";
import { findBinary } from "./binaries/find-binary.js";
import { relayInputHost } from "./nginx/render-config.js";
import { svgToPng } from "./http/routes/key-image-routes.js";
import { join } from "node:path";
import { ObsLink } from "./obs/obs-link.js";
import { ObsControl } from "./obs/obs-control.js";
import { pointsAtIngest } from "./obs/setup-plan.js";
import { obsRoutes } from "./http/routes/obs-routes.js";

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2), process.env);
  const version = readVersion();
  if (cli.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (cli.version) {
    process.stdout.write(`${version}\n`);
    return 0;
  }

  const secrets = new SecretRegistry();
  const log = createLogger({ level: parseLogLevel(process.env.RELAY_LOG_LEVEL), redact: (text) => secrets.redact(text) });
  const configFile = resolve(cli.configFile ?? defaultConfigPath({ platform: process.platform, env: process.env, home: homedir() }));
  let store: ConfigStore;
  try {
    store = await ConfigStore.open(configFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error(error.message);
      return 1;
    }
    throw error;
  }
  if (store.created) log.info(`wrote a new config file at ${configFile}`);
  else log.info(`config: ${configFile}`);

  const host = cli.host ?? store.current.bridge.host;
  const port = cli.port ?? store.current.bridge.port;
  const token = () => cli.token ?? store.current.bridge.token;
  if (!isLoopbackHost(host) && token() === "") {
    log.error(
      `refusing to listen on ${host} without a token: anyone on the network could switch your streams. ` +
        `Set bridge.token in ${configFile} (or RELAY_TOKEN), or listen on 127.0.0.1.`,
    );
    return 1;
  }
  secrets.set([token()]);

  const runtimeDir = runtimeDirFor(configFile);
  // A bridge killed earlier may have left relays, stunnel and nginx running: end them first.
  const pids = new PidRegistry(join(runtimeDir, "pids"));
  for (const leftover of await pids.endLeftovers()) {
    log.warn(`ended ${leftover.program} (pid ${leftover.pid}, ${leftover.label}) left running by an earlier bridge`);
  }
  const track = (label: string) => (event: "start" | "end", pid: number) =>
    void (event === "start" ? pids.record(label, label.startsWith("nginx") ? "nginx" : "stunnel", pid) : pids.release(label));
  let engine: RelayEngine | undefined;
  const notify = await startNotifyServer({
    publish: (notice) => engine?.acceptPublish(notice.app, notice.name, notice.clientId) ?? false,
    publishDone: (notice) => engine?.publishDone(notice.app, notice.name, notice.clientId),
  });
  const { service: nginx, statUrl, controlUrl } = createNginxService({
    config: () => store.current,
    runtimeDir,
    notify,
    statPort: await freeLoopbackPort(),
    log: log.scope("nginx"),
    track: track("nginx"),
  });
  const stunnel = new StunnelPool({
    runtimeDir,
    binary: () => store.current.binaries.stunnel,
    log,
    onChange: () => engine?.stunnelChanged(),
    track: (label, event, pid) => track(label)(event, pid),
  });
  const dataPlane = new DataPlane({
    ingestUrl: () => {
      const ingest = store.current.ingest;
      return `rtmp://${relayInputHost(ingest.host)}:${ingest.port}/${ingest.app}`;
    },
    holdMs: () => store.current.ingest.holdSeconds * 1000,
    slateImage: () => store.current.ingest.slate,
    ffmpeg: () => findBinary("ffmpeg", store.current.binaries.ffmpeg),
    renderPng: async (svg, width) => svgToPng(svg, width),
    runtimeDir,
    log: log.scope("media"),
    onStreamUp: (name) => engine?.streamMediaUp(name),
    onStreamDown: (name, heldMs) => engine?.streamMediaDown(name, heldMs),
    onSkip: () => engine?.mediaSkipped(),
  });
  const obsLink = new ObsLink({
    settings: () => store.current.obs,
    log: log.scope("obs"),
    onChange: (urgent) => engine?.obsChanged(urgent),
    isRelayService: (service) => pointsAtIngest(service, store.current.ingest),
    canRestore: () => store.current.obs.previousService !== undefined,
  });
  engine = new RelayEngine({ store, secrets, log, version, nginx, statUrl, controlUrl, stunnel, pids, dataPlane, obs: () => obsLink.view });
  const obs = new ObsControl(store, obsLink, log.scope("obs"), () => engine!.configChanged());

  const app = createApp({
    api: engine,
    version,
    logger: log.scope("http"),
    token,
    allowedHosts: () => store.current.bridge.allowedHosts,
    extraRoutes: [obsRoutes(obs), keyImageRoutes(engine), pageRoutes(engine)],
  });
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`port ${port} on ${host} is in use: another bridge may be running, or set --port`) : error),
    );
    server.listen(port, host, () => resolveListen());
  });
  await engine.start();
  obsLink.start();
  const bound = server.address() as AddressInfo;
  const shownHost = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  process.stdout.write(`Relay bridge listening on http://${shownHost}:${bound.port}\n`);

  return new Promise<number>((done) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal}: stopping every relay and nginx`);
      server.closeAllConnections?.();
      server.close();
      await obsLink.stop();
      await engine!.stop();
      await notify.close();
      log.info("stopped");
      done(0);
    };
    process.on("SIGINT", () => void stop("SIGINT"));
    process.on("SIGTERM", () => void stop("SIGTERM"));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`relay-bridge: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);

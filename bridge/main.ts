// The bridge's composition root: reads the command line and config, wires nginx, the relay engine
// and the HTTP app together, and stops everything on SIGINT/SIGTERM.

import { homedir } from "node:os";
import { resolve } from "node:path";
import type { AddressInfo } from "node:net";
import { parseCli, isLoopbackHost, USAGE } from "./cli-options.js";
import { readVersion } from "./version.js";
import { defaultConfigPath, runtimeDirFor } from "./launch/paths.js";
import { ConfigStore } from "./config/store.js";
import { createBridgeServer } from "./http/http-server.js";
import { ConfigError } from "./config/errors.js";
import { SecretRegistry } from "./secrets/redact.js";
import { MAKE_TOKEN_COMMAND, MIN_TOKEN_LENGTH, tokenAdvice, tokenProblem } from "./secrets/token-rules.js";
import { createLogger, parseLogLevel } from "./log/logger.js";
import { startNotifyServer } from "./nginx/notify-server.js";
import { createNginxService, nginxEndpoints } from "./nginx/nginx-service.js";
import { RelayEngine } from "./relay/engine.js";
import { RelayFleet } from "./relay/relay-fleet.js";
import { StatusHub } from "./relay/status-hub.js";
import { IngestGate } from "./ingest/ingest-gate.js";
import { createApp } from "./http/app.js";
import { pageRoutes } from "./http/routes/page-routes.js";
import { keyImageRoutes } from "./http/routes/key-image-routes.js";
import { settingsRoutes } from "./http/routes/settings-routes.js";
import { freeLoopbackPortBesides } from "./process/free-port.js";
import { PidRegistry } from "./process/pid-registry.js";
import { StunnelPool } from "./stunnel/stunnel-pool.js";
import { DataPlane } from "./media/data-plane.js";
import { relayInputHost } from "./nginx/render-config.js";
import { exposureWarning, ingestListenHost } from "./ingest/ingest-exposure.js";
import { prepareKeyPngs, svgToPng } from "./render/key-png.js";
import { acquireBridgeLock, BridgeLockedError, type HeldLock } from "./launch/bridge-lock.js";
import { listenForStop } from "./process/stop-signals.js";
import { FfmpegProgram } from "./ffmpeg/ffmpeg-program.js";
import { join } from "node:path";
import { ObsLink } from "./obs/obs-link.js";
import { ObsControl } from "./obs/obs-control.js";
import { pointsAtIngest } from "./obs/setup-plan.js";
import { obsRoutes } from "./http/routes/obs-routes.js";
import { AlertService } from "./alerts/alert-service.js";
import { alertsRoutes } from "./http/routes/alerts-routes.js";
import { HistoryBook, HISTORY_PERIOD_MS } from "./relay/history.js";
import { historyRoutes } from "./http/routes/history-routes.js";

/** Removes the lock when main gives up after taking it (a port in use, a failed start). */
let releaseOnExit: (() => Promise<void>) | undefined;

async function main(): Promise<number> {
  // From the first moment: a Ctrl-C while nginx starts must still end it.
  const stop = listenForStop();
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
  if (store.removedTempFiles.length > 0) {
    log.warn(`removed ${store.removedTempFiles.length} temp file(s) an interrupted write left beside ${configFile}`);
  }
  if (store.tightenedFromMode !== null) {
    const was = store.tightenedFromMode.toString(8).padStart(4, "0");
    log.warn(`${configFile} was readable by other users (mode ${was}) and holds your stream keys: made it 0600 (owner only)`);
  }
  if (store.created) log.info(`wrote a new config file at ${configFile}`);
  else log.info(`config: ${configFile}`);

  const envTokenProblem = cli.token !== undefined ? tokenProblem(cli.token) : null;
  if (envTokenProblem) {
    log.error(`refusing to start: RELAY_TOKEN ${tokenAdvice(envTokenProblem)}`);
    return 1;
  }
  const host = cli.host ?? store.current.bridge.host;
  const port = cli.port ?? store.current.bridge.port;
  const token = () => cli.token ?? store.current.bridge.token;
  if (!isLoopbackHost(host) && token() === "") {
    log.error(
      `refusing to listen on ${host} without a token: anyone on the network could switch your streams. ` +
        `Set bridge.token in ${configFile} (or RELAY_TOKEN) to at least ${MIN_TOKEN_LENGTH} characters, or listen on 127.0.0.1. ` +
        `Make one with: ${MAKE_TOKEN_COMMAND}`,
    );
    return 1;
  }
  secrets.set([token()]);

  const runtimeDir = runtimeDirFor(configFile);
  // One bridge per config file: a second one would end the first one's relays as leftovers.
  let lock: HeldLock;
  try {
    lock = await acquireBridgeLock(runtimeDir, configFile);
  } catch (error) {
    if (error instanceof BridgeLockedError) {
      log.error(error.message);
      return 1;
    }
    throw error;
  }
  releaseOnExit = () => lock.release();
  // A bridge killed earlier may have left relays, stunnel and nginx running: end them first.
  const pids = new PidRegistry(join(runtimeDir, "pids"), {
    onUnverified: (record) =>
      log.warn(
        `pid ${record.pid} (${record.label}) may be ${record.program} left running by an earlier bridge, but its start time ` +
          `could not be read (no PowerShell), so it was left alone: end it in Task Manager if it is Relay's`,
      ),
  });
  for (const leftover of await pids.endLeftovers()) {
    log.warn(`ended ${leftover.program} (pid ${leftover.pid}, ${leftover.label}) left running by an earlier bridge`);
  }
  if (stop.requested) {
    await lock.release();
    return 0;
  }
  // Built in order, each from what is built before it: the parts report what moved by their events.
  const ffmpeg = new FfmpegProgram({ configured: () => store.current.binaries.ffmpeg });
  const dataPlane = new DataPlane({
    ingestUrl: () => {
      const ingest = store.current.ingest;
      return `rtmp://${relayInputHost(ingestListenHost(ingest))}:${ingest.port}/${ingest.app}`;
    },
    holdMs: () => store.current.ingest.holdSeconds * 1000,
    slateImage: () => store.current.ingest.slate,
    ffmpeg: () => ffmpeg.resolve(),
    renderPng: async (svg, width) => svgToPng(svg, width),
    runtimeDir,
    log: log.scope("media"),
  });
  // nginx binds the stat port and the ingest's in one go: the two must differ (and not be the bridge's).
  const endpoints = nginxEndpoints(await freeLoopbackPortBesides([store.current.ingest.port, port]));
  const gate = new IngestGate({ config: () => store.current, dataPlane, statUrl: endpoints.statUrl, controlUrl: endpoints.controlUrl, secrets, log });
  const notify = await startNotifyServer({
    publish: (notice) => gate.acceptPublish(notice.app, notice.name, notice.clientId),
    publishDone: (notice) => gate.publishDone(notice.app, notice.name, notice.clientId),
  });
  const nginx = createNginxService({
    config: () => store.current,
    runtimeDir,
    notify,
    endpoints,
    log: log.scope("nginx"),
    onWrongApplication: (app) => gate.noteWrongApplication(app),
    pids,
    redact: (text) => secrets.redact(text),
  });
  const stunnel = new StunnelPool({ runtimeDir, binary: () => store.current.binaries.stunnel, log, pids });
  const obsLink = new ObsLink({
    settings: () => store.current.obs,
    log: log.scope("obs"),
    isRelayService: (service) => pointsAtIngest(service, store.current.ingest),
    canRestore: () => store.current.obs.previousService !== undefined,
  });
  const fleet = new RelayFleet({ config: () => store.current, gate, dataPlane, stunnel, ffmpeg, pids, secrets, log });
  const hub = new StatusHub({ version, config: () => store.current, gate, fleet, nginx, stunnel, dataPlane, ffmpeg, obs: obsLink, configProblems: () => store.problems });
  const engine = new RelayEngine({ store, secrets, log, gate, fleet, hub, nginx, stunnel, dataPlane, extraSecrets: () => [token()] });
  // The store is the one door of the config: the engine and the OBS control follow every change.
  const obs = new ObsControl(store, obsLink, log.scope("obs"));
  // The ingest asked to reach the network without a key listens on this computer only: said at start and at each change.
  const exposure = exposureWarning(store.current.ingest);
  if (exposure) log.warn(exposure);
  store.onChange(({ before, after }) => {
    const now = exposureWarning(after.ingest);
    if (now && now !== exposureWarning(before.ingest)) log.warn(now);
    if (before.ingest.slate !== after.ingest.slate) dataPlane.refreshStandIns();
  });
  const alerts = new AlertService({ store, status: hub, log: log.scope("alerts") });
  const history = new HistoryBook();
  let historyTimer: ReturnType<typeof setInterval> | undefined;
  await store.watch({
    onInvalidEdit: (error) =>
      log.warn(
        error instanceof ConfigError
          ? `${configFile} was edited but is not valid: the bridge keeps the config it had until the file is fixed:\n  - ${error.problems.join("\n  - ")}`
          : `${configFile} could not be read after an edit: ${error.message}`,
      ),
  });
  // Checked at start so the status says at once whether relays can run (missing or too old).
  void ffmpeg.resolve().then(
    (binary) => log.info(`ffmpeg ${ffmpeg.view.version ?? "(version unknown)"} at ${binary}`),
    (error: Error) => log.error(error.message),
  );

  const app = createApp({
    api: engine,
    version,
    logger: log.scope("http"),
    token,
    allowedHosts: () => store.current.bridge.allowedHosts,
    extraRoutes: [
      obsRoutes(obs),
      alertsRoutes(alerts),
      historyRoutes(history),
      keyImageRoutes(engine),
      settingsRoutes({
        config: () => store.current,
        apply: (change) => engine.updateSettings(change),
        listeningPort: () => (server.address() as AddressInfo | null)?.port ?? port,
      }),
      pageRoutes(engine),
    ],
  });
  const server = createBridgeServer(app.callback());
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`port ${port} on ${host} is in use: another bridge may be running, or set --port`) : error),
    );
    server.listen(port, host, () => resolveListen());
  });
  // nginx's first start may take seconds: a stop request during it goes straight to the stop.
  const started = await Promise.race([engine.start().then(() => true), stop.signalled.then(() => false)]);
  if (started) {
    obsLink.start();
    alerts.start();
    history.record(hub.status(), Date.now());
    historyTimer = setInterval(() => history.record(hub.status(), Date.now()), HISTORY_PERIOD_MS);
    const bound = server.address() as AddressInfo;
    const shownHost = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
    process.stdout.write(`Relay bridge listening on http://${shownHost}:${bound.port}\n`);
    // The first key PNG (Companion) would otherwise wait for the renderer to load.
    prepareKeyPngs().catch((error: unknown) => log.warn(`key images: ${(error as Error).message}`));
  }

  const signal = await stop.signalled;
  log.info(`${signal}: stopping every relay and nginx`);
  server.closeAllConnections?.();
  server.close();
  store.close();
  alerts.stop();
  clearInterval(historyTimer);
  await obsLink.stop();
  await engine.stop();
  await notify.close();
  // The pid records of what just ended: removed before exit, so the next start finds none.
  await pids.settled();
  await lock.release();
  log.info("stopped");
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    process.stderr.write(`relay-bridge: ${(error as Error)?.message ?? String(error)}\n`);
    await releaseOnExit?.().catch(() => undefined);
    process.exit(1);
  },
);

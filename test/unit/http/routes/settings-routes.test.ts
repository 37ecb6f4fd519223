// `GET/PATCH /api/settings` on a real config file, the engine and this machine's real programs: what a
// first run shows (found or how to install, the OBS server), and setting a program's path or a port:
// checked, saved atomically with mode 0600, the service restarted; bad input refused by field, the file
// untouched. A hand edit of the same fields restarts the same services (the config's one door).

import { readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import which from "which";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConfigStore } from "../../../../bridge/config/store.js";
import { servicesToRestart } from "../../../../bridge/config/settings-edits.js";
import { defaultConfig } from "../../../../bridge/config/schema.js";
import { settingsRoutes } from "../../../../bridge/http/routes/settings-routes.js";
import { isFullPath, parseSettingsPatch } from "../../../../bridge/http/settings-patch.js";
import type { SettingsView } from "../../../../contract/api.js";
import { memoryBridgeApi } from "../../../page/memory-bridge-api.js";
import { statusView } from "../../../../rig/status-views.js";
import { serveApp, type ServedApp } from "../../../page/serve-app.js";
import { createTestEngine, type TestEngine } from "../../relay/engine-fixture.js";

let dir: string;
let store: ConfigStore;
let served: ServedApp;
let restarted: string[];
let engine: TestEngine;

const patch = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${served.url}/api/settings`, { method: "PATCH", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

beforeEach(async () => {
  engine = await createTestEngine({});
  ({ store, restarted } = engine);
  dir = dirname(engine.file);
  const routes = settingsRoutes({ config: () => store.current, apply: (change) => engine.engine.updateSettings(change), listeningPort: () => 8787 });
  served = await serveApp({ api: memoryBridgeApi(statusView([])), extraRoutes: [routes], token: "settings-token" });
});

afterEach(async () => {
  await served.close();
  await engine.dispose();
});

const auth = { authorization: "Bearer settings-token" };

describe("GET /api/settings", () => {
  it("shows each program found or how to install it, and what to paste into OBS", async () => {
    const view = (await (await fetch(`${served.url}/api/settings`, { headers: auth })).json()) as SettingsView;
    expect(view.binaries.ffmpeg.found).toBe(await which("ffmpeg"));
    expect(view.binaries.ffmpeg.problem).toBeNull();
    expect(view.binaries.nginx.install).toContain("libnginx-mod-rtmp");
    expect(view.obs).toEqual({ server: "rtmp://127.0.0.1:1935/live", keyRequired: false });
  });

  it("needs the token like the rest of the API", async () => {
    expect((await fetch(`${served.url}/api/settings`)).status).toBe(401);
    expect((await patch({ binaries: { ffmpeg: "" } })).status).toBe(401);
  });
});

describe("PATCH /api/settings", () => {
  it("saves a program's full path in the config file (0600) and restarts what runs it", async () => {
    const nginx = (await which("nginx", { nothrow: true })) ?? "/usr/sbin/nginx";
    const answer = await patch({ binaries: { nginx } }, auth);
    expect(answer.status).toBe(200);
    const view = (await answer.json()) as SettingsView;
    expect(view.binaries.nginx).toMatchObject({ configured: nginx, found: nginx, problem: null });
    const saved = JSON.parse(await readFile(store.file, "utf8"));
    expect(saved.binaries.nginx).toBe(nginx);
    expect((await stat(store.file)).mode & 0o777).toBe(0o600);
    expect(restarted).toEqual(["nginx"]);
    // Clearing it goes back to PATH; ffmpeg needs no restart (the next relay picks it up).
    expect((await patch({ binaries: { nginx: "", ffmpeg: await which("ffmpeg") } }, auth)).status).toBe(200);
    expect(JSON.parse(await readFile(store.file, "utf8")).binaries).toMatchObject({ nginx: "", ffmpeg: await which("ffmpeg") });
    expect(restarted).toEqual(["nginx", "nginx"]);
  });

  it("refuses a path where no program is, naming the field, and leaves the file as it was", async () => {
    const before = await readFile(store.file, "utf8");
    const answer = await patch({ binaries: { ffmpeg: join(dir, "no-such-ffmpeg") } }, auth);
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { error: { field: string; message: string } };
    expect(body.error.field).toBe("binaries.ffmpeg");
    expect(body.error.message).toMatch(/not found at .*no-such-ffmpeg.*install/);
    expect(await readFile(store.file, "utf8")).toBe(before);
    expect(restarted).toEqual([]);
  });

  it("lets OBS on another computer in only with a stream key, and back to this computer only", async () => {
    const before = await readFile(store.file, "utf8");
    const refused = await patch({ ingest: { lan: true } }, auth);
    expect(refused.status).toBe(400);
    const error = ((await refused.json()) as { error: { field: string; message: string } }).error;
    expect(error.field).toBe("ingest.lan");
    expect(error.message).toMatch(/OBS on another computer needs a stream key: set ingest\.key/);
    expect(await readFile(store.file, "utf8")).toBe(before);
    expect(restarted).toEqual([]);

    const opened = await patch({ ingest: { lan: true, key: "obs_lan_key_42" } }, auth);
    expect(opened.status).toBe(200);
    const view = (await opened.json()) as SettingsView;
    expect(view.ingest).toMatchObject({ host: "0.0.0.0", lan: true });
    expect(view.obs.keyRequired).toBe(true);
    expect(JSON.stringify(view)).not.toContain("obs_lan_key_42");
    expect(JSON.parse(await readFile(store.file, "utf8")).ingest).toMatchObject({ host: "0.0.0.0", key: "obs_lan_key_42" });
    expect(restarted).toEqual(["nginx"]);
    // The key cannot be taken away while the network is open.
    const keyless = await patch({ ingest: { key: "" } }, auth);
    expect(keyless.status).toBe(400);
    expect(((await keyless.json()) as { error: { field: string } }).error.field).toBe("ingest.key");

    const closed = await patch({ ingest: { lan: false } }, auth);
    expect(((await closed.json()) as SettingsView).ingest).toMatchObject({ host: "127.0.0.1", lan: false });
    expect(restarted).toEqual(["nginx", "nginx"]);
  });

  it("refuses relative paths, unknown programs and other settings by name", async () => {
    for (const [body, field] of [
      [{ binaries: { nginx: "nginx/nginx.exe" } }, "binaries.nginx"],
      [{ binaries: { obs: "/usr/bin/obs" } }, "binaries.obs"],
      [{ binaries: { ffmpeg: 42 } }, "binaries.ffmpeg"],
      [{ bridge: { token: "x" } }, "bridge.token"],
      [{ tls: { verify: false } }, "tls"],
    ] as const) {
      const answer = await patch(body, auth);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(((await answer.json()) as { error: { field: string } }).error.field).toBe(field);
    }
  });
});

describe("the ports", () => {
  it("moves the ingest to a new port and restarts nginx on it; refuses the bridge's own port, by field", async () => {
    const moved = await patch({ ingest: { port: 1937 } }, auth);
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as SettingsView).obs.server).toBe("rtmp://127.0.0.1:1937/live");
    expect(restarted).toEqual(["nginx"]);
    const before = await readFile(store.file, "utf8");
    const clash = await patch({ ingest: { port: store.current.bridge.port } }, auth);
    expect(clash.status).toBe(400);
    expect(((await clash.json()) as { error: { field: string; code: string } }).error).toMatchObject({ field: "ingest.port", code: "invalid_field" });
    expect(await readFile(store.file, "utf8")).toBe(before);
    expect(restarted).toEqual(["nginx"]);
  });

  it("restarts nginx for a hand edit of the ingest's port too, once the watcher has read it", async () => {
    const warnings: string[] = [];
    await store.watch({ onInvalidEdit: (error) => warnings.push(error.message), settleMs: 20 });
    const edited = structuredClone(store.current);
    edited.ingest.port = 1938;
    await writeFile(store.file, JSON.stringify(edited, null, 2));
    const view = await waitForSettings((settings) => settings.ingest.port === 1938);
    expect(view.obs.server).toBe("rtmp://127.0.0.1:1938/live");
    // The restart follows the reload: wait for it rather than for a fixed time.
    await waitUntil(() => restarted.length === 1);
    expect(restarted).toEqual(["nginx"]);
    expect(warnings).toEqual([]);
    store.close();
  });
});

async function waitForSettings(accept: (view: SettingsView) => boolean): Promise<SettingsView> {
  for (const deadline = Date.now() + 5_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
    const view = (await (await fetch(`${served.url}/api/settings`, { headers: auth })).json()) as SettingsView;
    if (accept(view)) return view;
  }
  throw new Error("the settings never showed the edit");
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5_000; !condition(); await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (Date.now() > deadline) throw new Error("timed out");
  }
}

describe("the uplink figure", () => {
  it("keeps the streamer's uplink in the config file, restarts nothing, and refuses a figure that is not one, by field", async () => {
    const saved = await patch({ uplink: { kbps: 12_000 } }, auth);
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as SettingsView).uplink).toEqual({ kbps: 12_000 });
    expect(JSON.parse(await readFile(engine.file, "utf8")).uplink.kbps).toBe(12_000);
    expect(restarted).toEqual([]);
    const bad = await patch({ uplink: { kbps: -5 } }, auth);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("uplink.kbps");
    expect(store.current.uplink.kbps).toBe(12_000);
  });
});

describe("which service a change of the config restarts (pure)", () => {
  it("restarts nginx when the ingest or its program moved, stunnel when its program did, nothing else", () => {
    const base = defaultConfig();
    const variant = (change: (config: ReturnType<typeof defaultConfig>) => void) => {
      const copy = structuredClone(base);
      change(copy);
      return copy;
    };
    expect(servicesToRestart(base, structuredClone(base))).toEqual([]);
    expect(servicesToRestart(base, variant((config) => void (config.ingest.port = 1940)))).toEqual(["nginx"]);
    expect(servicesToRestart(base, variant((config) => void (config.ingest.host = "::1")))).toEqual(["nginx"]);
    // The network without a key stays this computer (nothing to restart); with a key, nginx listens there.
    expect(servicesToRestart(base, variant((config) => void (config.ingest.host = "0.0.0.0")))).toEqual([]);
    expect(servicesToRestart(base, variant((config) => Object.assign(config.ingest, { host: "0.0.0.0", key: "a-new-key-for-obs" })))).toEqual(["nginx"]);
    expect(servicesToRestart(base, variant((config) => void (config.ingest.app = "obs")))).toEqual(["nginx"]);
    expect(servicesToRestart(base, variant((config) => void (config.binaries.nginx = "/opt/nginx/sbin/nginx")))).toEqual(["nginx"]);
    expect(servicesToRestart(base, variant((config) => void (config.binaries.stunnel = "/usr/bin/stunnel4")))).toEqual(["stunnel"]);
    expect(servicesToRestart(base, variant((config) => void (config.binaries.ffmpeg = "/usr/bin/ffmpeg")))).toEqual([]);
    expect(servicesToRestart(base, variant((config) => void (config.ingest.key = "a-new-key-for-obs")))).toEqual([]);
    expect(servicesToRestart(base, variant((config) => void (config.bridge.port = 9000)))).toEqual([]);
  });
});

describe("reading a settings change (pure)", () => {
  it("knows full paths on every OS and takes off quotes a copied Windows path carries", () => {
    for (const path of ["/usr/sbin/nginx", "C:\\nginx\\nginx.exe", "c:/ffmpeg/bin/ffmpeg.exe", "\\\\nas\\tools\\stunnel.exe"]) expect(isFullPath(path), path).toBe(true);
    for (const path of ["nginx", "bin/ffmpeg", "C:nginx.exe", "~/nginx"]) expect(isFullPath(path), path).toBe(false);
    expect(parseSettingsPatch({ binaries: { nginx: ' "C:\\nginx\\nginx.exe" ' } })).toEqual({ binaries: { nginx: "C:\\nginx\\nginx.exe" } });
    expect(parseSettingsPatch({})).toEqual({ binaries: {} });
  });
});

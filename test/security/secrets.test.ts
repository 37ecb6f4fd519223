// Stream keys are write-only, checked with the real programs: relays that succeed, relays that fail
// (ffmpeg prints the URL it pushes to, stunnel logs its connections), keys changed and destinations
// deleted while live. No key ever shows in an answer, an event, the log, the page, a key image or a
// runtime file, and a key full of shell syntax reaches the platform as the literal text it is.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../rig/bridge.js";
import { startPlatform, type Platform } from "../../rig/platform.js";
import { startObs, type Obs } from "../../rig/obs-stand-in.js";
import { watchEvents, type EventWatch } from "../../rig/events.js";
import { freePort } from "../../rig/ports.js";
import { waitFor } from "../../rig/processes.js";
import type { DestinationView } from "../../contract/api.js";
import { REDACTED } from "../../bridge/secrets/redact.js";
import { rawRequest } from "./raw-http.js";

const TOKEN = "tok_secrets_71be0d9a";
const INGEST_KEY = "ingest_secret_0c4f2e";
const KEYS = {
  // Shell syntax of every kind: were it run by a shell, marker files would appear in the bridge's folder.
  shell: "sh_$(touch${IFS}relay-shell-m1)_`touch${IFS}relay-shell-m2`;touch${IFS}relay-shell-m3|x&y>relay-shell-m4",
  // A Facebook-style key: query string, '&' and '='.
  facebook: "FB-1234567890123456-0-AbCdEfGh?s_bl=1&s_sc=1234567890&s_sw=0&a=AbXyZ9",
  stunnel: "tls_via_stunnel_key_5e2c",
  direct: "tls_direct_key_91ad",
  renewed: "sh_renewed_key_3f7b20",
  added: "added_while_live_key_c0d4",
  // Leading slashes on a URL without an application: what is sent is the key without them.
  slashed: "//slash_key_8d1e4a",
};
const SLASHED_AS_SENT = "slash_key_8d1e4a";
const MARKERS = ["relay-shell-m1", "relay-shell-m2", "relay-shell-m3", "relay-shell-m4"];

describe("stream keys stay secret with the real programs", () => {
  let platform: Platform;
  let bridge: RunningBridge;
  let events: EventWatch;
  let obs: Obs | undefined;
  const answers: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    const closed = [await freePort(), await freePort(), await freePort(), await freePort()];
    bridge = await startBridge({
      token: TOKEN,
      ingest: { key: INGEST_KEY },
      destinations: [
        { id: "shell", name: "Shell", url: platform.url, key: KEYS.shell, enabled: true },
        { id: "facebook", name: "Facebook", url: `rtmp://127.0.0.1:${closed[0]}/rtmp/`, key: KEYS.facebook, enabled: true },
        { id: "tls-stunnel", name: "TLS stunnel", url: `rtmps://127.0.0.1:${closed[1]}/app`, key: KEYS.stunnel, enabled: true, transport: "stunnel" },
        { id: "tls-direct", name: "TLS direct", url: `rtmps://127.0.0.1:${closed[2]}/app`, key: KEYS.direct, enabled: true, transport: "direct" },
        { id: "no-app", name: "No application", url: `rtmp://127.0.0.1:${closed[3]}`, key: KEYS.slashed, enabled: true },
      ],
    });
    events = await watchEvents(bridge.url, TOKEN);
    obs = startObs({ url: `${bridge.ingestUrl}/${INGEST_KEY}` });
  });
  afterAll(async () => {
    events?.close();
    await obs?.stop();
    await bridge?.stop();
    await platform?.stop();
  });

  const get = async (path: string) => {
    const response = await bridge.api(path);
    const text = await response.text();
    answers.push(text);
    return { status: response.status, text };
  };
  const view = async (id: string) => JSON.parse((await get(`/api/destinations/${id}`)).text) as DestinationView;
  const received = async (key: string) => (await platform.streams()).find((stream) => stream.name === key && stream.bytesIn > 0);
  const allKeys = [...Object.values(KEYS), SLASHED_AS_SENT, INGEST_KEY];

  it("relays a key full of shell syntax as literal text: the platform gets exactly that name, no shell ran", async () => {
    await waitFor(async () => (await view("shell")).state === "live", { what: "the shell-key relay to be live", timeoutMs: 25_000 });
    await waitFor(() => received(KEYS.shell), { what: "the platform to receive under the literal key" });
    const cwd = await readdir(process.cwd());
    const dir = await readdir(bridge.dir);
    for (const marker of MARKERS) {
      expect(cwd).not.toContain(marker);
      expect(dir).not.toContain(marker);
    }
  });

  it("hides the key in ffmpeg's failures: last error, relay log and bridge log", async () => {
    const failing = await waitFor(async () => {
      const one = await view("facebook");
      return one.restarts >= 1 && one.lastError ? one : undefined;
    }, { what: "the closed-port relay to fail", timeoutMs: 25_000 });
    expect(failing.lastError).toMatch(/^Nothing accepted the connection at 127\.0\.0\.1:\d+: check the server URL and port/);
    expect(failing.lastError).not.toContain("FB-");
    const log = JSON.parse((await get("/api/destinations/facebook/log")).text) as { lines: string[] };
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.lines.join("\n")).toMatch(/Connection refused/);
    expect(log.lines.join("\n")).toContain(`/rtmp/${REDACTED}`);
  });

  it("hides a key starting with // on a URL without an application: what is sent is redacted", async () => {
    const failing = await waitFor(async () => {
      const one = await view("no-app");
      return one.restarts >= 1 && one.lastError ? one : undefined;
    }, { what: "the relay without an application to fail", timeoutMs: 25_000 });
    const lines = (JSON.parse((await get("/api/destinations/no-app/log")).text) as { lines: string[] }).lines.join("\n");
    expect(lines).toMatch(/Connection refused/);
    for (const text of [failing.lastError!, lines, bridge.output()]) expect(text).not.toContain(SLASHED_AS_SENT);
    expect(lines).toContain(`127.0.0.1:`);
  });

  it("hides the key when the relay goes through stunnel or ffmpeg's own TLS and fails", async () => {
    for (const id of ["tls-stunnel", "tls-direct"]) {
      await waitFor(async () => {
        const one = await view(id);
        return (one.state === "retrying" || one.state === "failed") && one.lastError ? one : undefined;
      }, { what: `${id} to fail`, timeoutMs: 30_000 });
      const lines = (JSON.parse((await get(`/api/destinations/${id}/log`)).text) as { lines: string[] }).lines;
      // ffmpeg printed the URL it pushes to (through stunnel: the local one), key included: redacted.
      expect(lines.join("\n"), id).toMatch(new RegExp(`rtmps?://127\\.0\\.0\\.1:\\d+/app/${REDACTED}`));
    }
    expect(bridge.output()).toMatch(/stunnel/);
  });

  it("a key changed while live: the platform gets the new name, neither key is ever shown", async () => {
    const patched = await bridge.api("/api/destinations/shell", { method: "PATCH", body: JSON.stringify({ key: KEYS.renewed }) });
    const text = await patched.text();
    answers.push(text);
    expect(patched.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ hasKey: true });
    await waitFor(() => received(KEYS.renewed), { what: "the platform to receive under the new key", timeoutMs: 25_000 });
    await waitFor(async () => !(await platform.streams()).some((stream) => stream.name === KEYS.shell), { what: "the old stream to end" });
  });

  it("a destination added while live and one deleted while live leave no key behind", async () => {
    const created = await bridge.api("/api/destinations", {
      method: "POST",
      body: JSON.stringify({ id: "added", name: "Added", url: platform.url, key: KEYS.added, enabled: true }),
    });
    answers.push(await created.text());
    expect(created.status).toBe(201);
    await waitFor(() => received(KEYS.added), { what: "the added destination to reach the platform", timeoutMs: 25_000 });
    const deleted = await bridge.api("/api/destinations/added", { method: "DELETE" });
    expect(deleted.status).toBe(204);
    await waitFor(async () => !(await platform.streams()).some((stream) => stream.name === KEYS.added), { what: "the deleted relay to end" });
  });

  it("shows no key on the status page, the key images or the variables", async () => {
    for (const path of ["/", "/index.html", "/app.js", "/style.css"]) {
      const page = await rawRequest({ port: bridge.port, path });
      expect(page.status, path).toBe(200);
      answers.push(page.body);
    }
    for (const id of ["shell", "facebook", "tls-stunnel", "tls-direct", "no-app"]) {
      for (const path of [`/api/destinations/${id}/key.svg`, `/api/destinations/${id}/key.svg?size=144`, `/api/destinations/${id}`, `/api/destinations/${id}/log`]) {
        expect((await get(path)).status, path).toBe(200);
      }
    }
    for (const path of ["/api/variables", "/api/status", "/api/destinations", "/api/ingest/key.svg", "/api/settings"]) expect((await get(path)).status).toBe(200);
  });

  it("never put a key or the token in an answer, an event or a log line", () => {
    expect(events.statuses().length).toBeGreaterThan(5);
    expect(answers.length).toBeGreaterThan(20);
    const sources = { answers: answers.join("\n"), events: events.raw(), log: bridge.output() };
    for (const [where, text] of Object.entries(sources)) {
      for (const secret of [...allKeys, TOKEN]) expect(text, `${where} must not contain ${secret.slice(0, 6)}…`).not.toContain(secret);
      // Nor the URL-encoded form a program may print.
      for (const secret of allKeys) expect(text, where).not.toContain(encodeURIComponent(secret));
    }
  });

  it("keeps no key in the runtime folder (rendered configs, pid records, logs)", async () => {
    const files = (await readdir(join(bridge.dir, "run"), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = await readFile(join(file.parentPath ?? (file as unknown as { path: string }).path, file.name), "utf8");
      for (const secret of [...allKeys, TOKEN]) expect(text, file.name).not.toContain(secret);
    }
  });
});

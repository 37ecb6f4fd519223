// The relays' ffmpeg as the real bridge reports it: found with its version, or missing with the
// install hint.

import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startBridge } from "../../rig/bridge.js";
import { waitFor } from "../../rig/processes.js";
import type { StatusView } from "../../contract/api.js";

/** ffmpeg's view once its first check is done. */
const checked = (status: StatusView) => (status.services.ffmpeg && status.services.ffmpeg.state !== "starting" ? status.services.ffmpeg : null);

describe("ffmpeg in the status", () => {
  it("is ready with its version when the bridge has started", async () => {
    const bridge = await startBridge();
    try {
      const ffmpeg = await waitFor(async () => checked(await bridge.json<StatusView>("/api/status")), { what: "ffmpeg checked" });
      expect(ffmpeg.state).toBe("ready");
      expect(ffmpeg.version).toMatch(/^\d+\.\d+/);
      expect(bridge.output()).toContain(`ffmpeg ${ffmpeg.version} at `);
    } finally {
      await bridge.stop();
    }
  }, 30_000);

  it("is missing, with the install hint, when binaries.ffmpeg names no program", async () => {
    const bridge = await startBridge({ extra: { binaries: { nginx: "", ffmpeg: "/nonexistent/ffmpeg", stunnel: "" } } });
    try {
      const ffmpeg = await waitFor(async () => checked(await bridge.json<StatusView>("/api/status")), { what: "ffmpeg checked" });
      expect(ffmpeg.state).toBe("missing");
      expect(ffmpeg.error).toContain("binaries.ffmpeg = /nonexistent/ffmpeg");
      expect(ffmpeg.error).toContain("apt-get install ffmpeg");
    } finally {
      await bridge.stop();
    }
  }, 30_000);

  it("refuses a script, a shell or a folder as a program path through the API, saying why, and never runs the script with a key", async () => {
    const dir = await mkdtemp(join(tmpdir(), "relay-fake-ffmpeg-"));
    const marker = join(dir, "ran");
    const script = join(dir, "ffmpeg");
    await writeFile(script, `#!/bin/sh\necho "$@" >> ${marker}\n`);
    await chmod(script, 0o755);
    const bridge = await startBridge({ destinations: [{ id: "yt", name: "YouTube", url: "rtmp://127.0.0.1:1/live", key: "program-check-key-Qx2" }] });
    try {
      for (const [field, path, why] of [
        ["ffmpeg", script, /is not ffmpeg: asked its version/],
        ["ffmpeg", "/bin/sh", /is not ffmpeg/],
        ["stunnel", dir, /is a folder, not a program/],
      ] as const) {
        const response = await bridge.api("/api/settings", { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ binaries: { [field]: path } }) });
        expect(response.status, path).toBe(400);
        const { error } = (await response.json()) as { error: { message: string; field?: string } };
        expect(error.message).toMatch(new RegExp(`^binaries\\.${field}: `));
        expect(error.message).toMatch(why);
      }
      const config = JSON.parse(await readFile(bridge.configFile, "utf8"));
      // Nothing written: the paths stay as they were (the test's config sets none).
      expect([config.binaries?.ffmpeg ?? "", config.binaries?.stunnel ?? ""]).toEqual(["", ""]);
      // Asked its version only, never anything with a key.
      expect((await readFile(marker, "utf8")).trim().split("\n")).toEqual(["-hide_banner -version"]);
    } finally {
      await bridge.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

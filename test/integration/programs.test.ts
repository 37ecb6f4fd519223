// The relays' ffmpeg as the real bridge reports it: found with its version, or missing with the
// install hint.

import { describe, expect, it } from "vitest";
import { startBridge } from "../harness/bridge.js";
import { waitFor } from "../harness/processes.js";
import type { StatusView } from "../../bridge/shared/api.js";

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
});

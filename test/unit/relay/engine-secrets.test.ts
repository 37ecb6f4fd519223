// The engine's redaction set: every secret of the config, and the token given outside it
// (RELAY_TOKEN or --token), which must survive each refresh from the config.

import { afterEach, describe, expect, it } from "vitest";
import { createTestEngine, type TestEngine } from "./engine-fixture.js";

let running: TestEngine | undefined;
afterEach(async () => {
  await running?.dispose();
  running = undefined;
});

describe("engine secrets", () => {
  it("keeps a token given outside the config through every refresh from the config", async () => {
    running = await createTestEngine({ bridge: { token: "config-token-51d" }, destinations: [] }, () => ["env-token-9f2c"]);
    const { engine, secrets } = running;
    await engine.start();
    await engine.createDestination({ name: "YouTube", url: "rtmp://a.rtmp.youtube.com/live2", key: "yt-key-77a1" });
    const text = "token env-token-9f2c, config-token-51d, key yt-key-77a1";
    expect(secrets.redact(text)).toBe("token •••, •••, key •••");
    await engine.deleteDestination("youtube");
    expect(secrets.redact(text)).toBe("token •••, •••, key yt-key-77a1");
  });
});

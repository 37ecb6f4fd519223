// Who can reach the ingest: this computer only by default; the network only with a stream key.

import { describe, expect, it } from "vitest";
import { configSchema } from "../../../bridge/config/schema.js";
import { exposureProblem, exposureWarning, ingestListenHost } from "../../../bridge/ingest/ingest-exposure.js";
import { listenAddress, renderNginxConfig } from "../../../bridge/nginx/render-config.js";
import { servicesToRestart } from "../../../bridge/config/settings-edits.js";

describe("ingest exposure", () => {
  it("listens on this computer only by default", () => {
    const ingest = configSchema.parse({}).ingest;
    expect(ingest.host).toBe("127.0.0.1");
    expect(ingestListenHost(ingest)).toBe("127.0.0.1");
    expect(exposureWarning(ingest)).toBeNull();
  });

  it("keeps a network setup that has a key as it is", () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.20"]) {
      expect(ingestListenHost({ host, key: "obs_key_123" })).toBe(host);
      expect(exposureWarning({ host, key: "obs_key_123" })).toBeNull();
      expect(exposureProblem({ host, key: "obs_key_123" })).toBeNull();
    }
  });

  it("an older file with 0.0.0.0 and no key: loads, listens on this computer only, and says why and what to do", () => {
    const ingest = configSchema.parse({ ingest: { host: "0.0.0.0", key: "" } }).ingest;
    expect(ingestListenHost(ingest)).toBe("127.0.0.1");
    const config = renderNginxConfig({
      rtmpModulePath: null,
      runtimeDir: "/tmp/run",
      ingest: { ...ingest, host: ingestListenHost(ingest) },
      notify: { port: 1, secret: "s" },
      statPort: 2,
      statSecret: "t",
    });
    expect(config).toContain(`listen ${listenAddress("127.0.0.1", ingest.port)};`);
    expect(config).not.toMatch(/listen 1935;/);
    expect(exposureWarning(ingest)).toMatch(/ingest\.key is empty: the ingest listens on this computer only.*set a stream key \(ingest\.key/);
    expect(exposureProblem(ingest)).toMatch(/OBS on another computer needs a stream key: set ingest\.key/);
  });

  it("restarts nginx when a key opens (or closes) the network an ingest.host asked for", () => {
    const before = configSchema.parse({ ingest: { host: "0.0.0.0", key: "" } });
    const after = configSchema.parse({ ingest: { host: "0.0.0.0", key: "obs_key_123" } });
    expect(servicesToRestart(before, after)).toEqual(["nginx"]);
    const local = configSchema.parse({ ingest: { host: "127.0.0.1", key: "" } });
    const localWithKey = configSchema.parse({ ingest: { host: "127.0.0.1", key: "obs_key_123" } });
    expect(servicesToRestart(local, localWithKey)).toEqual([]);
  });
});

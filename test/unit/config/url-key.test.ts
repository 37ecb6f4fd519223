// A stream key pasted inside the server URL: moved to `key` on save (the push address unchanged),
// shown as ••• wherever a URL is shown, and a secret for redaction.

import { describe, expect, it } from "vitest";
import { keyInsideUrl, shownUrl, splitUrlKey } from "../../../bridge/config/url-key.js";
import { configSchema } from "../../../bridge/config/schema.js";
import { addDestination, patchDestination } from "../../../bridge/config/destination-edits.js";
import { joinStreamUrl } from "../../../contract/stream-url.js";
import { destinationView } from "../../../bridge/relay/destination-view.js";
import { configSecrets } from "../../../bridge/secrets/config-secrets.js";
import { SecretRegistry } from "../../../bridge/secrets/redact.js";

const SECRET = "live_12345_SECRETKEY";

describe("a key inside the URL", () => {
  it("splits after the preset's application, or after the first segment for any other server", () => {
    expect(splitUrlKey(`rtmp://a.rtmp.youtube.com/live2/${SECRET}`, "youtube")).toEqual({ url: "rtmp://a.rtmp.youtube.com/live2", key: SECRET });
    expect(splitUrlKey(`rtmps://live-api-s.facebook.com:443/rtmp/${SECRET}`, "facebook")).toEqual({ url: "rtmps://live-api-s.facebook.com:443/rtmp", key: SECRET });
    expect(splitUrlKey(`rtmp://10.0.0.5:1935/app/${SECRET}`)).toEqual({ url: "rtmp://10.0.0.5:1935/app", key: SECRET });
    expect(splitUrlKey(`rtmp://10.0.0.5/app/sub/${SECRET}?auth=1`, "custom")).toEqual({ url: "rtmp://10.0.0.5/app", key: `sub/${SECRET}?auth=1` });
    expect(splitUrlKey("rtmp://live.twitch.tv/app", "twitch")).toEqual({ url: "rtmp://live.twitch.tv/app", key: "" });
    expect(splitUrlKey("rtmps://live-api-s.facebook.com:443/rtmp/", "facebook").key).toBe("");
  });

  it("moves it to key on save, keeping the address the relay pushes to", () => {
    const config = configSchema.parse({});
    const pasted = `rtmp://a.rtmp.youtube.com/live2/${SECRET}`;
    const created = addDestination(config, { name: "YouTube", platform: "youtube", url: pasted });
    expect(created).toMatchObject({ url: "rtmp://a.rtmp.youtube.com/live2", key: SECRET });
    expect(joinStreamUrl(created.url, created.key)).toBe(pasted);
    // A PATCH that pastes one into the URL of a destination without a key, too.
    const other = addDestination(config, { name: "Mine", url: "rtmp://10.0.0.5/app" });
    patchDestination(config, other.id, { url: `rtmp://10.0.0.5/app/${SECRET}` });
    expect(config.destinations[1]).toMatchObject({ url: "rtmp://10.0.0.5/app", key: SECRET });
    expect(configSchema.safeParse(config).success).toBe(true);
  });

  it("is never shown: the view says •••, and the secrets hold it for redaction", () => {
    const destination = configSchema.parse({
      destinations: [{ id: "hand", name: "Hand edit", url: `rtmp://10.0.0.5/app/${SECRET}`, key: "", platform: "custom" }],
    }).destinations[0]!;
    const view = destinationView(destination, { relay: undefined, input: null, source: null, skips: 0, redact: (text: string) => text } as never);
    expect(view.url).toBe("rtmp://10.0.0.5/app/•••");
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(shownUrl("rtmp://10.0.0.5/app?key=abc")).toBe("rtmp://10.0.0.5/app?•••");
    const secrets = new SecretRegistry();
    secrets.set(configSecrets(configSchema.parse({ destinations: [destination] })));
    expect(secrets.redact(`pushing to rtmp://10.0.0.5/app/${SECRET} failed`)).not.toContain(SECRET);
    expect(keyInsideUrl("rtmp://10.0.0.5/app")).toBe("");
  });

  it("keeps the key when the shown URL (with •••) comes back in a PATCH", () => {
    const config = configSchema.parse({ destinations: [{ id: "hand", name: "Hand edit", url: `rtmp://10.0.0.5/app/${SECRET}`, key: "" }] });
    patchDestination(config, "hand", { url: "rtmp://10.0.0.5/app/•••", name: "Renamed" });
    expect(config.destinations[0]).toMatchObject({ name: "Renamed", url: "rtmp://10.0.0.5/app", key: SECRET });
  });
});

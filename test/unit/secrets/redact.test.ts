import { describe, expect, it } from "vitest";
import { redact, redactUrlKeys, REDACTED, SecretRegistry } from "../../../bridge/secrets/redact.js";

describe("redact", () => {
  it("removes every known key, plain and URL-encoded", () => {
    const key = "live_abc/def+ghi";
    const text = `pushing to rtmp://x/app/${key} and ${encodeURIComponent(key)} once more`;
    const out = redact(text, [key]);
    expect(out).not.toContain(key);
    expect(out).not.toContain(encodeURIComponent(key));
  });
  it("removes the key part of any rtmp(s) URL even when the key is unknown", () => {
    expect(redactUrlKeys("Error opening output rtmps://live-api-s.facebook.com:443/rtmp/FB-123-XYZ: I/O error")).toBe(
      `Error opening output rtmps://live-api-s.facebook.com:443/rtmp/${REDACTED}: I/O error`,
    );
    expect(redactUrlKeys("'rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl'")).toBe(`'rtmp://a.rtmp.youtube.com/live2/${REDACTED}'`);
  });
  it("leaves server URLs without a key alone", () => {
    expect(redactUrlKeys("connecting to rtmp://a.rtmp.youtube.com/live2")).toBe("connecting to rtmp://a.rtmp.youtube.com/live2");
  });
  it("replaces a longer secret whole when it contains a shorter one", () => {
    expect(redact("key=abc123456", ["abc", "abc123456"])).toBe(`key=${REDACTED}`);
  });
  it("ignores empty secrets", () => {
    expect(redact("nothing here", [""])).toBe("nothing here");
  });
  it("a registry redacts what it was last given", () => {
    const registry = new SecretRegistry();
    registry.set(["one-key", ""]);
    expect(registry.redact("one-key two-key")).toBe(`${REDACTED} two-key`);
    registry.set(["two-key"]);
    expect(registry.redact("one-key two-key")).toBe(`one-key ${REDACTED}`);
  });
});

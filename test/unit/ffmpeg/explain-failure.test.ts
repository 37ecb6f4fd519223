import { describe, expect, it } from "vitest";
import { explainRelayFailure, withoutContextPrefix } from "../../../bridge/ffmpeg/explain-failure.js";

// ffmpeg's lines as captured (keys already redacted: •••), in the order ffmpeg printed them.
describe("explainRelayFailure", () => {
  it("a host name that does not resolve: says so, not 'Input/output error'", () => {
    const failure = explainRelayFailure([
      "[tcp @ 0x55d0c1a2b3c0] Failed to resolve hostname nonexistent-host.invalid: Name or service not known",
      "rtmp://nonexistent-host.invalid/app/•••: Input/output error",
    ])!;
    expect(failure.message).toMatch(/^The server name nonexistent-host\.invalid was not found: check the server URL/);
    expect(failure.message).toContain("(ffmpeg: Failed to resolve hostname nonexistent-host.invalid: Name or service not known)");
    expect(failure.message).not.toContain("0x55d0");
    expect(failure.repeatable).toBe(false);
  });

  it("a platform's own refusal: quotes it, says to check the key, and trying again will not help", () => {
    const failure = explainRelayFailure([
      "[rtmp @ 0x5602e249b880] Server error: invalid stream path",
      "rtmp://live.example.com/app: End of file",
    ])!;
    expect(failure.message).toMatch(/^The platform refused the stream \(it said "invalid stream path"\): check the stream key/);
    expect(failure.repeatable).toBe(true);
  });

  it("a certificate refusal: points at tls.caFile, whatever the TLS library's wording", () => {
    for (const reason of [
      "[tls @ 0x7f3a10004c80] Peer certificate failed verification",
      "[tls @ 0x7f3a10004c80] error:0A000086:SSL routines::certificate verify failed",
      "[tls @ 0x7f3a10004c80] The certificate is NOT trusted. The certificate issuer is unknown.",
    ]) {
      const failure = explainRelayFailure([reason, "[rtmps @ 0x2] Cannot open connection tls://live.example.com:443", "rtmps://live.example.com:443/app/•••: Input/output error"])!;
      expect(failure.message, reason).toContain("tls.caFile");
      expect(failure.message, reason).not.toContain("[tls @");
      expect(failure.repeatable).toBe(true);
    }
  });

  it("a closed port and a silent one", () => {
    expect(
      explainRelayFailure([
        "[tcp @ 0x5602e24982c0] Connection to tcp://127.0.0.1:41125?tcp_nodelay=0 failed: Connection refused",
        "[rtmp @ 0x5602e249b880] Cannot open connection tcp://127.0.0.1:41125?tcp_nodelay=0",
        "rtmp://127.0.0.1:41125/app/•••: Connection refused",
      ])!.message,
    ).toMatch(/^Nothing accepted the connection at 127\.0\.0\.1:41125: check the server URL and port/);
    expect(explainRelayFailure(["[tcp @ 0x3] Connection to tcp://h:1935 failed: Connection timed out"])!.message).toMatch(/^h:1935 did not answer/);
  });

  it("a platform that hangs up: the key or the application, not 'End of file'", () => {
    const failure = explainRelayFailure(["rtmp://127.0.0.1:46593/app/•••: Input/output error"])!;
    expect(failure.message).toMatch(/^The platform closed the connection: usually a wrong or expired stream key/);
    expect(explainRelayFailure(["Error writing trailer of rtmp://x/app/•••: Broken pipe", "rtmp://x/app/•••: Broken pipe"])!.message).toMatch(/closed the connection/);
  });

  it("never blames the platform for the relay's input", () => {
    expect(explainRelayFailure(["rtmp://127.0.0.1:1935/live/•••: End of file"], "rtmp://127.0.0.1:1935/live/•••")).toBeNull();
  });

  it("answers null when nothing explains", () => {
    expect(explainRelayFailure(["Press [q] to stop"])).toBeNull();
    expect(withoutContextPrefix("[flv @ 0xabc] x")).toBe("x");
  });
});

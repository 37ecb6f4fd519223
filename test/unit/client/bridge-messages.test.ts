// The words both clients of the bridge say, on error objects shaped as fetch makes them (Node's undici
// puts the system error code on `cause`), refused answers as the bridge writes them, and stream losses.

import { describe, expect, it } from "vitest";
import { errorCodeOf, errorMessage, refusalMessage, streamLossMessage, unreachableMessage } from "../../../client/bridge-messages.js";

const BASE = "http://127.0.0.1:8787";
const fetchFailed = (code: string) => new TypeError("fetch failed", { cause: Object.assign(new Error(`connect ${code} 127.0.0.1:8787`), { code }) });

describe("unreachableMessage", () => {
  it("names the likely cause for each system error code", () => {
    expect(unreachableMessage(BASE, fetchFailed("ECONNREFUSED"))).toBe("Nothing answers at http://127.0.0.1:8787: is the Relay bridge running?");
    expect(unreachableMessage("http://studio:8787", fetchFailed("ENOTFOUND"))).toBe("The host in http://studio:8787 cannot be found");
    expect(unreachableMessage("http://studio:8787", fetchFailed("EAI_AGAIN"))).toBe("The host in http://studio:8787 cannot be found");
    expect(unreachableMessage("http://192.168.1.20:8787", fetchFailed("EHOSTUNREACH"))).toBe("http://192.168.1.20:8787 cannot be reached from this computer (network or firewall)");
    expect(unreachableMessage("http://10.0.0.9:8787", fetchFailed("ENETUNREACH"))).toBe("http://10.0.0.9:8787 cannot be reached from this computer (network or firewall)");
  });

  it("reads a code on the error itself, as other runtimes put it", () => {
    expect(unreachableMessage(BASE, Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toMatch(/^Nothing answers at /);
  });

  it("says the bridge was too slow on a timeout (AbortSignal.timeout's TimeoutError)", () => {
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(unreachableMessage(BASE, timeout)).toBe("The bridge at http://127.0.0.1:8787 did not answer in time");
    expect(unreachableMessage(BASE, Object.assign(new Error("t"), { name: "TimeoutError" }))).toBe("The bridge at http://127.0.0.1:8787 did not answer in time");
  });

  it("falls back to the error's own words, and to none when it has none", () => {
    expect(unreachableMessage(BASE, fetchFailed("ECONNRESET"))).toBe("The bridge at http://127.0.0.1:8787 cannot be reached (fetch failed)");
    expect(unreachableMessage(BASE, new Error("the bridge went silent"))).toBe("The bridge at http://127.0.0.1:8787 cannot be reached (the bridge went silent)");
    expect(unreachableMessage(BASE, undefined)).toBe("The bridge at http://127.0.0.1:8787 cannot be reached");
    expect(unreachableMessage(BASE, "odd")).toBe("The bridge at http://127.0.0.1:8787 cannot be reached");
  });
});

describe("refusalMessage", () => {
  it("says where the token is for a 401, whatever the body", () => {
    const words = "The bridge refused the token: copy bridge.token from the bridge's config file into the Token field";
    expect(refusalMessage(BASE, 401, '{"error":{"code":"unauthorized","message":"A valid token is needed"}}')).toBe(words);
    expect(refusalMessage(BASE, 401, "")).toBe(words);
  });

  it("passes the bridge's own message, which says how to fix it", () => {
    expect(refusalMessage(BASE, 403, '{"error":{"code":"host_not_allowed","message":"This Host name is not accepted"}}')).toBe("This Host name is not accepted");
    expect(refusalMessage(BASE, 404, '{"error":{"code":"not_found","message":"Destination \\"nope\\" does not exist"}}')).toBe('Destination "nope" does not exist');
  });

  it("suspects a wrong address when the answer is not a bridge error", () => {
    const wrong = "http://127.0.0.1:80 answered HTTP 404: is it the Relay bridge's host and port?";
    expect(refusalMessage("http://127.0.0.1:80", 404, "<html>Not Found</html>")).toBe(wrong);
    expect(refusalMessage("http://127.0.0.1:80", 404, '{"error":"no"}')).toBe(wrong);
    expect(refusalMessage("http://127.0.0.1:80", 404, '{"error":{"message":""}}')).toBe(wrong);
    expect(refusalMessage("http://127.0.0.1:80", 404, "null")).toBe(wrong);
  });
});

describe("the bridge's error body", () => {
  it("gives its code and message, or nothing for any other text", () => {
    const body = '{"error":{"code":"conflict","message":"Already there","field":"id"}}';
    expect(errorMessage(body)).toBe("Already there");
    expect(errorCodeOf(body)).toBe("conflict");
    for (const other of ["", "not json", "[]", '{"error":{"code":3,"message":4}}']) {
      expect(errorMessage(other)).toBeUndefined();
      expect(errorCodeOf(other)).toBeUndefined();
    }
  });
});

describe("streamLossMessage", () => {
  it("says why the event stream was lost", () => {
    expect(streamLossMessage(BASE, { kind: "not-bridge" })).toBe("http://127.0.0.1:8787 answers, but it is not a Relay bridge: check the host and port");
    expect(streamLossMessage(BASE, { kind: "closed" })).toBe("The bridge closed the connection (stopped or restarting)");
    expect(streamLossMessage(BASE, { kind: "failed", error: fetchFailed("ECONNREFUSED") })).toBe(unreachableMessage(BASE, fetchFailed("ECONNREFUSED")));
    expect(streamLossMessage(BASE, { kind: "refused", status: 401, body: "" })).toMatch(/refused the token/);
    expect(streamLossMessage(BASE, { kind: "refused", status: 502, body: "Bad Gateway" })).toBe("http://127.0.0.1:8787 answered HTTP 502: is it the Relay bridge's host and port?");
  });
});

// The HTTP security rules: token comparison and source, allowed Host names, cross-origin requests.

import { describe, expect, it } from "vitest";
import { hostName, isAllowedHost, isCrossOrigin, requestToken, safeEqual } from "../../../bridge/http/security.js";

describe("security rules", () => {
  it("compares tokens", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("", "abc")).toBe(false);
  });
  it("reads the token from the header or the query", () => {
    expect(requestToken("Bearer xyz", undefined)).toBe("xyz");
    expect(requestToken(undefined, "q")).toBe("q");
    expect(requestToken("Basic Zm9v", undefined)).toBeUndefined();
  });
  it("accepts IP literals, localhost and configured names as Host", () => {
    expect(isAllowedHost("127.0.0.1:8787", [])).toBe(true);
    expect(isAllowedHost("[::1]:8787", [])).toBe(true);
    expect(isAllowedHost("localhost:8787", [])).toBe(true);
    expect(isAllowedHost("192.168.1.5", [])).toBe(true);
    expect(isAllowedHost("studio.lan:8787", ["studio.lan"])).toBe(true);
    expect(isAllowedHost("evil.example", [])).toBe(false);
    expect(isAllowedHost(undefined, [])).toBe(false);
    expect(hostName("[::1]:80")).toBe("::1");
  });
  it("tells cross-origin requests", () => {
    expect(isCrossOrigin({ origin: "http://127.0.0.1:8787", host: "127.0.0.1:8787" })).toBe(false);
    expect(isCrossOrigin({ origin: "http://evil.example", host: "127.0.0.1:8787" })).toBe(true);
    expect(isCrossOrigin({ origin: "null", host: "x" })).toBe(true);
    expect(isCrossOrigin({ secFetchSite: "same-site", host: "x" })).toBe(true);
    expect(isCrossOrigin({ secFetchSite: "same-origin", host: "x" })).toBe(false);
    expect(isCrossOrigin({ host: "x" })).toBe(false);
  });
});

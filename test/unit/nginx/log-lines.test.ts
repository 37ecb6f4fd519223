import { describe, expect, it } from "vitest";
import { isNginxChatter, nginxLineLevel, wrongApplicationIn } from "../../../bridge/nginx/log-lines.js";

// nginx's stderr lines as it writes them.
const WRONG = "2026/11/30 13:42:07 [info] 41233#41233: *7 connect: application not found: 'wrong', client: 127.0.0.1, server: 0.0.0.0:1935";

describe("nginx log lines", () => {
  it("reads the level, and takes lines without one as warnings", () => {
    expect(nginxLineLevel(WRONG)).toBe("info");
    expect(nginxLineLevel('2026/11/30 13:42:07 [emerg] 41233#41233: bind() to 0.0.0.0:1935 failed (98: Address already in use)')).toBe("emerg");
    expect(nginxLineLevel("nginx: [emerg] unknown directive")).toBe("warn");
    expect(isNginxChatter("2026/11/30 13:42:07 [info] 41233#41233: *8 client 127.0.0.1 closed connection")).toBe(true);
    expect(isNginxChatter("2026/11/30 13:42:07 [notice] 41233#41233: signal process started")).toBe(true);
    expect(isNginxChatter("2026/11/30 13:42:07 [error] 41233#41233: *9 open() failed")).toBe(false);
  });
  it("finds the application a publisher asked for when there is none by that name", () => {
    expect(wrongApplicationIn(WRONG)).toBe("wrong");
    expect(wrongApplicationIn("2026/11/30 13:42:07 [info] 1#1: *8 client connected '127.0.0.1'")).toBeNull();
  });
});

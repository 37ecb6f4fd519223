import { describe, expect, it } from "vitest";
import { EventEmitter } from "node:events";
import { listenForStop, stopSignalNames } from "../../../bridge/process/stop-signals.js";
import { chooseStopMethod } from "../../../bridge/process/child-process.js";
import { nginxStopCommand } from "../../../bridge/nginx/nginx-service.js";

describe("the bridge's stop signals", () => {
  it("are SIGINT and SIGTERM, and on Windows also SIGBREAK (Ctrl-Break, console closed)", () => {
    expect(stopSignalNames("linux")).toEqual(["SIGINT", "SIGTERM"]);
    expect(stopSignalNames("darwin")).toEqual(["SIGINT", "SIGTERM"]);
    expect(stopSignalNames("win32")).toEqual(["SIGINT", "SIGTERM", "SIGBREAK"]);
  });

  it("are heard from the moment of listening, the first one wins", async () => {
    const target = new EventEmitter();
    const stop = listenForStop(target, "win32");
    expect(stop.requested).toBeUndefined();
    target.emit("SIGBREAK");
    target.emit("SIGINT");
    expect(stop.requested).toBe("SIGBREAK");
    await expect(stop.signalled).resolves.toBe("SIGBREAK");
  });
});

describe("how a child is asked to stop (platform injected)", () => {
  const request = async () => undefined;

  it("by its signal on POSIX", () => {
    expect(chooseStopMethod({ signal: "SIGTERM", request, graceMs: 1 }, "linux")).toBe("signal");
    expect(chooseStopMethod({ signal: "SIGINT", input: "q", graceMs: 1 }, "darwin")).toBe("signal");
  });

  it("on Windows by its request (nginx -s stop), else its key on stdin (ffmpeg's q), else not at all", () => {
    expect(chooseStopMethod({ signal: "SIGTERM", request, graceMs: 1 }, "win32")).toBe("request");
    expect(chooseStopMethod({ signal: "SIGINT", input: "q", graceMs: 1 }, "win32")).toBe("input");
    expect(chooseStopMethod({ signal: "SIGTERM", graceMs: 1 }, "win32")).toBe("none");
  });

  it("nginx: the same binary, -p and -c as its start, with -s stop", () => {
    const start = { command: "C:\\nginx\\nginx.exe", args: ["-p", "C:\\Users\\a\\AppData\\Roaming\\relay\\run\\nginx", "-c", "C:\\x\\nginx.conf"] };
    expect(nginxStopCommand(start)).toEqual({ command: start.command, args: [...start.args, "-s", "stop"] });
    expect(nginxStopCommand({ command: "/usr/sbin/nginx", args: ["-e", "stderr", "-p", "/r", "-c", "/r/nginx.conf"] }).args).toEqual([
      "-e", "stderr", "-p", "/r", "-c", "/r/nginx.conf", "-s", "stop",
    ]);
  });
});

// Every path and program decision that differs per OS, with the OS injected: Windows, macOS (Homebrew
// on Apple silicon and on Intel, MacPorts), Linux.

import { describe, expect, it } from "vitest";
import { configDir, defaultConfigPath } from "../../bridge/launch/paths.js";
import { findBinary } from "../../bridge/binaries/find-binary.js";
import { binaryNames, installHint, wellKnownPaths } from "../../bridge/binaries/programs.mjs";
import { caBundleCandidates } from "../../bridge/stunnel/ca-bundle.js";
import { rtmpModuleCandidates } from "../../bridge/nginx/rtmp-module.js";

describe("the config file's place", () => {
  it("Windows: %APPDATA%\\relay, else the profile's AppData\\Roaming, in Windows form", () => {
    expect(defaultConfigPath({ platform: "win32", env: { APPDATA: "C:\\Users\\Ann\\AppData\\Roaming" }, home: "C:\\Users\\Ann" })).toBe(
      "C:\\Users\\Ann\\AppData\\Roaming\\relay\\config.json",
    );
    expect(configDir({ platform: "win32", env: {}, home: "C:\\Users\\Ann" })).toBe("C:\\Users\\Ann\\AppData\\Roaming\\relay");
  });

  it("macOS: ~/Library/Application Support/relay, whatever XDG_CONFIG_HOME says", () => {
    expect(defaultConfigPath({ platform: "darwin", env: { XDG_CONFIG_HOME: "/x" }, home: "/Users/ann" })).toBe(
      "/Users/ann/Library/Application Support/relay/config.json",
    );
  });

  it("Linux: $XDG_CONFIG_HOME/relay, else ~/.config/relay", () => {
    expect(configDir({ platform: "linux", env: { XDG_CONFIG_HOME: "/home/ann/cfg" }, home: "/home/ann" })).toBe("/home/ann/cfg/relay");
    expect(configDir({ platform: "linux", env: { XDG_CONFIG_HOME: "" }, home: "/home/ann" })).toBe("/home/ann/.config/relay");
  });
});

describe("where the programs are looked for after PATH", () => {
  it("macOS: Homebrew on Apple silicon first, then Homebrew on Intel, then MacPorts (a launchd agent's PATH has none)", () => {
    const mac = { platform: "darwin" as const, env: {} };
    expect(wellKnownPaths("ffmpeg", mac)).toEqual(["/opt/homebrew/bin/ffmpeg", "/usr/local/bin/ffmpeg", "/opt/local/bin/ffmpeg"]);
    expect(wellKnownPaths("stunnel", mac)).toEqual(["/opt/homebrew/bin/stunnel", "/usr/local/bin/stunnel", "/opt/local/bin/stunnel"]);
    const nginx = wellKnownPaths("nginx", mac);
    expect(nginx[0]).toBe("/opt/homebrew/bin/nginx");
    expect(nginx.indexOf("/opt/homebrew/sbin/nginx")).toBeLessThan(nginx.indexOf("/usr/local/bin/nginx"));
    expect(nginx).toContain("/opt/local/sbin/nginx");
  });

  it("Windows: C:\\nginx, C:\\ffmpeg\\bin and winget's links folder, stunnel's install folders (console build first)", () => {
    const win = { platform: "win32" as const, env: { LOCALAPPDATA: "C:\\Users\\Ann\\AppData\\Local" } };
    expect(wellKnownPaths("nginx", win)).toEqual(["C:\\nginx\\nginx.exe"]);
    expect(wellKnownPaths("ffmpeg", win)).toEqual(["C:\\ffmpeg\\bin\\ffmpeg.exe", "C:\\Users\\Ann\\AppData\\Local\\Microsoft\\WinGet\\Links\\ffmpeg.exe"]);
    expect(wellKnownPaths("ffmpeg", { platform: "win32", env: {} })).toEqual(["C:\\ffmpeg\\bin\\ffmpeg.exe"]);
    expect(wellKnownPaths("stunnel", win)[0]).toBe("C:\\Program Files (x86)\\stunnel\\bin\\tstunnel.exe");
    expect(binaryNames("stunnel", "win32")).toEqual(["tstunnel", "stunnel"]);
  });

  it("Linux: sbin for nginx (not on a user's PATH), Debian's stunnel4", () => {
    expect(wellKnownPaths("nginx", { platform: "linux", env: {} })[0]).toBe("/usr/sbin/nginx");
    expect(binaryNames("stunnel", "linux")).toEqual(["stunnel", "stunnel4", "stunnel5"]);
    expect(wellKnownPaths("nginx", { platform: "freebsd", env: {} })).toEqual([]);
  });

  it("a missing program is reported with the install step of the OS asked about", async () => {
    await expect(findBinary("nginx", "/nonexistent/nginx", { platform: "darwin", env: {} })).rejects.toThrow(installHint("nginx", "darwin"));
    expect(installHint("nginx", "darwin")).toContain("brew");
    expect(installHint("ffmpeg", "win32")).toContain("winget");
    expect(installHint("stunnel", "linux")).toContain("stunnel4");
    expect(installHint("nginx", "aix")).toContain("binaries.nginx");
  });
});

describe("files beside the programs", () => {
  it("stunnel's CA bundle: its own on Windows, the system's or Homebrew's (both prefixes) elsewhere", () => {
    expect(caBundleCandidates("win32", "C:\\Program Files (x86)\\stunnel\\bin\\tstunnel.exe")).toEqual([
      "C:\\Program Files (x86)\\stunnel\\config\\ca-certs.pem",
      "C:\\Program Files (x86)\\stunnel\\bin\\ca-certs.pem",
    ]);
    const mac = caBundleCandidates("darwin", "/opt/homebrew/bin/stunnel");
    expect(mac).toContain("/etc/ssl/cert.pem");
    expect(mac).toContain("/opt/homebrew/etc/ca-certificates/cert.pem");
    expect(mac).toContain("/usr/local/etc/ca-certificates/cert.pem");
  });

  it("nginx's dynamic RTMP module: beside Homebrew's nginx on either prefix", () => {
    const info = { version: "1.27.0", rtmpStatic: false, modulesPath: null, prefix: null };
    expect(rtmpModuleCandidates(info, "/opt/homebrew/bin/nginx")).toContain("/opt/homebrew/lib/nginx/modules/ngx_rtmp_module.so");
    expect(rtmpModuleCandidates(info, "/usr/local/bin/nginx")).toContain("/usr/local/lib/nginx/modules/ngx_rtmp_module.so");
  });
});

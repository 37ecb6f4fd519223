import { describe, expect, it } from "vitest";
import { listenAddress, relayInputHost, renderNginxConfig } from "../../../bridge/nginx/render-config.js";
import { parseNginxBuildInfo, rtmpModuleCandidates, supportsErrorLogFlag } from "../../../bridge/nginx/rtmp-module.js";
import { explainNginxError } from "../../../bridge/nginx/explain-error.js";

const input = {
  rtmpModulePath: "/usr/lib/nginx/modules/ngx_rtmp_module.so",
  runtimeDir: "/home/s/.config/relay/run/nginx",
  ingest: { host: "0.0.0.0", port: 1935, app: "live" },
  notify: { port: 40000, secret: "cafe" },
  statPort: 40001,
  statSecret: "5eC4e7",
};

describe("renderNginxConfig", () => {
  const text = renderNginxConfig(input);
  it("loads the RTMP module and stays in the foreground with its own pid file", () => {
    expect(text).toContain("load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;");
    expect(text).toContain("daemon off;");
    expect(text).toContain("pid /home/s/.config/relay/run/nginx/nginx.pid;");
    expect(renderNginxConfig({ ...input, rtmpModulePath: null })).not.toContain("load_module");
  });
  it("serves the ingest application without holding media back for a keyframe or video", () => {
    expect(text).toMatch(/listen 1935;/);
    expect(text).toMatch(/application live \{[^}]*live on;[^}]*wait_key off;[^}]*wait_video off;/s);
    expect(text).not.toMatch(/wait_key on|wait_video on/);
  });
  it("lets only local relays read the stream", () => {
    expect(text).toMatch(/allow play 127\.0\.0\.1;\s+deny play all;/);
    const lan = renderNginxConfig({ ...input, ingest: { ...input.ingest, host: "192.168.1.20" } });
    expect(lan).toContain("listen 192.168.1.20:1935;");
    expect(lan).toContain("allow play 192.168.1.20;");
  });
  it("notifies the bridge on loopback with the run's secret", () => {
    expect(text).toContain("on_publish http://127.0.0.1:40000/nginx/cafe/publish;");
    expect(text).toContain("on_publish_done http://127.0.0.1:40000/nginx/cafe/publish_done;");
  });
  it("serves the stat page (it names the ingest key) on loopback only, at the run's secret path only", () => {
    expect(text).toMatch(
      /listen 127\.0\.0\.1:40001;\s+allow 127\.0\.0\.1;\s+deny all;\s+location = \/stat\/5eC4e7 \{\s+rtmp_stat all;\s+\}\s+location \/control\/5eC4e7\/ \{\s+rtmp_control all;\s+\}\s+location \/ \{\s+return 404;/,
    );
    expect(text.match(/rtmp_stat/g)).toHaveLength(1);
  });
  it("quotes paths with spaces and uses forward slashes for Windows paths", () => {
    const windows = renderNginxConfig({ ...input, runtimeDir: "C:\\Users\\Stream Er\\AppData\\Roaming\\relay\\run\\nginx", rtmpModulePath: null });
    expect(windows).toContain('pid "C:/Users/Stream Er/AppData/Roaming/relay/run/nginx/nginx.pid";');
  });
  it("listen and relay addresses", () => {
    expect(listenAddress("::1", 1935)).toBe("[::1]:1935");
    expect(listenAddress("127.0.0.1", 1935)).toBe("127.0.0.1:1935");
    expect(relayInputHost("0.0.0.0")).toBe("127.0.0.1");
    expect(relayInputHost("127.0.0.1")).toBe("127.0.0.1");
    expect(relayInputHost("10.0.0.5")).toBe("10.0.0.5");
  });
});

describe("nginx build info", () => {
  // `nginx -V` of Debian 12's nginx 1.22.1 (abridged).
  const debian = `nginx version: nginx/1.22.1
built with OpenSSL 3.0.9 30 May 2023
TLS SNI support enabled
configure arguments: --with-cc-opt='-g -O2' --prefix=/usr/share/nginx --conf-path=/etc/nginx/nginx.conf --modules-path=/usr/lib/nginx/modules --with-http_ssl_module`;
  it("finds the modules path of a build with a dynamic RTMP module", () => {
    const info = parseNginxBuildInfo(debian);
    expect(info).toEqual({ version: "1.22.1", rtmpStatic: false, modulesPath: "/usr/lib/nginx/modules", prefix: "/usr/share/nginx" });
    expect(rtmpModuleCandidates(info, "/usr/sbin/nginx")[0]).toBe("/usr/lib/nginx/modules/ngx_rtmp_module.so");
  });
  it("sees an RTMP module compiled in", () => {
    expect(parseNginxBuildInfo("nginx version: nginx/1.14.1\nconfigure arguments: --add-module=../nginx-rtmp-module").rtmpStatic).toBe(true);
  });
  it("knows which nginx takes -e", () => {
    expect(supportsErrorLogFlag("1.22.1")).toBe(true);
    expect(supportsErrorLogFlag("1.19.5")).toBe(true);
    expect(supportsErrorLogFlag("1.19.4")).toBe(false);
    expect(supportsErrorLogFlag("1.14.1")).toBe(false);
    expect(supportsErrorLogFlag(null)).toBe(false);
  });
});

describe("explainNginxError", () => {
  it("explains a taken port and a missing RTMP module", () => {
    expect(explainNginxError(['nginx: [emerg] bind() to 0.0.0.0:1935 failed (98: Address already in use)'], 1935)).toMatch(/port 1935 is already taken/);
    expect(explainNginxError(['nginx: [emerg] unknown directive "rtmp" in /x/nginx.conf:12'], 1935)).toMatch(/no RTMP module/);
    expect(explainNginxError(["something else"], 1935)).toBeNull();
  });
});

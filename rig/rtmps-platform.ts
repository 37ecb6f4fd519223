// An RTMPS "platform": stunnel in server mode in front of a platform nginx (platform.ts), with a
// certificate authority and server certificates made at test time with openssl.

import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { locateProgram } from "../bridge/binaries/programs.mjs";
import { freePort } from "./ports.js";
import { startProgram, waitFor } from "./processes.js";
import type { Platform } from "./platform.js";

export interface TestCa {
  dir: string;
  caFile: string;
  /** Issues a server certificate for `names` (DNS names and IPs), signed by this CA. */
  issue(name: string, names: string[]): Promise<{ certFile: string; keyFile: string }>;
  remove(): Promise<void>;
}

export async function createTestCa(label = "Relay Test CA"): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), "relay-ca-"));
  const caFile = join(dir, "ca.pem");
  const caKey = join(dir, "ca.key");
  await execa("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", caFile, "-days", "2",
    "-subj", `/CN=${label}`, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  return {
    dir,
    caFile,
    async issue(name, names) {
      const keyFile = join(dir, `${name}.key`);
      const csr = join(dir, `${name}.csr`);
      const certFile = join(dir, `${name}.pem`);
      const ext = join(dir, `${name}.ext`);
      const alt = names.map((entry) => (/^[0-9.]+$/.test(entry) ? `IP:${entry}` : `DNS:${entry}`)).join(",");
      await writeFile(ext, `subjectAltName=${alt}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
      await execa("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", csr, "-subj", `/CN=${names[0]}`]);
      await execa("openssl", ["x509", "-req", "-in", csr, "-CA", caFile, "-CAkey", caKey, "-CAcreateserial", "-out", certFile, "-days", "2", "-extfile", ext]);
      return { certFile, keyFile };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface TlsFront {
  port: number;
  /** rtmps://localhost:PORT/app — "localhost" so the certificate's name is checked. */
  url: string;
  child: ResultPromise;
  stop(): Promise<void>;
}

/** stunnel in server mode on a loopback port, forwarding TLS to `platform`'s plain RTMP port. */
export async function startTlsFront(platform: Platform, cert: { certFile: string; keyFile: string }, { port: wanted }: { port?: number } = {}): Promise<TlsFront> {
  const dir = await mkdtemp(join(tmpdir(), "relay-tls-front-"));
  const port = wanted ?? (await freePort());
  const conf = join(dir, "server.conf");
  await writeFile(
    conf,
    `foreground = yes\npid =\ndebug = info\n[rtmps]\naccept = 127.0.0.1:${port}\nconnect = 127.0.0.1:${platform.port}\ncert = ${cert.certFile}\nkey = ${cert.keyFile}\n`,
  );
  // The stunnel the bridge would run (Debian calls it stunnel4).
  const stunnel = startProgram({ command: locateProgram("stunnel", "").path ?? "stunnel", args: [conf] });
  await waitFor(() => {
    if (!stunnel.running) throw new Error(`stunnel exited: ${stunnel.output()}`);
    return stunnel.output().includes("Accepting new connections");
  }, { what: "the TLS front (stunnel server)", timeoutMs: 10_000, intervalMs: 25 });
  return {
    port,
    url: `rtmps://localhost:${port}/app`,
    child: stunnel.child,
    async stop() {
      await stunnel.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// The bridge's command line and environment: `relay-bridge [--config FILE] [--host H] [--port N]`,
// with RELAY_CONFIG, RELAY_HOST, RELAY_PORT and RELAY_TOKEN as overrides.

import { parseArgs } from "node:util";

export interface CliOptions {
  configFile?: string;
  host?: string;
  port?: number;
  token?: string;
  help: boolean;
  version: boolean;
}

export const USAGE = `Usage: relay-bridge [--config FILE] [--host HOST] [--port PORT]

Runs the Relay bridge: the ingest OBS streams to, one relay per enabled destination, and the
HTTP API, status page and events for the Stream Deck plugin and Companion.

  --config FILE   config file (default: the per-user config folder, created on first start)
  --host HOST     address the HTTP API listens on (default from the config: 127.0.0.1)
  --port PORT     port of the HTTP API (default from the config: 8787)
  --help          this text
  --version       the bridge's version

Environment: RELAY_CONFIG, RELAY_HOST, RELAY_PORT, RELAY_TOKEN override the config file;
command-line options override the environment.`;

/** Reads argv (without node and script) and the environment; throws a readable Error on bad input. */
export function parseCli(argv: readonly string[], env: Record<string, string | undefined>): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      config: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
    strict: true,
    allowPositionals: false,
  });
  const portText = values.port ?? env.RELAY_PORT;
  let port: number | undefined;
  if (portText !== undefined && portText !== "") {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`--port / RELAY_PORT must be a port from 1 to 65535 (got "${portText}")`);
    }
  }
  const pick = (value: string | undefined) => (value === undefined || value === "" ? undefined : value);
  return {
    configFile: pick(values.config) ?? pick(env.RELAY_CONFIG),
    host: pick(values.host) ?? pick(env.RELAY_HOST),
    port,
    token: pick(env.RELAY_TOKEN),
    help: values.help ?? false,
    version: values.version ?? false,
  };
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

// The connection's settings in Companion (bridge host, port, token, https) and the bridge address they
// make. Pure: the instance asks here whether the settings can be used and what to say when not.

import { Regex, type SomeCompanionConfigField } from "@companion-module/base";
import { parseLanguage, type Lang } from "../presentation/i18n/translate.js";

/** What Companion stores for one Relay connection. */
export interface RelayModuleConfig {
  host: string;
  port: number;
  token: string;
  /** The bridge is behind an HTTPS reverse proxy (docs/server.md). */
  https: boolean;
  /** The language of the words on the key images (`?lang=` of the key image routes). */
  language: Lang;
}

/** The bridge's own defaults (`bridge.host`, `bridge.port` in its config file). */
export const DEFAULT_CONFIG: RelayModuleConfig = { host: "127.0.0.1", port: 8787, token: "", https: false, language: "en" };

/** The fields Companion shows in the connection's settings. */
export function configFields(): SomeCompanionConfigField[] {
  return [
    {
      type: "static-text",
      id: "info",
      width: 12,
      label: "Relay bridge",
      value:
        "The computer and port the Relay bridge listens on (its status page address). The token is the bridge's " +
        "bridge.token: required when the bridge listens on a network address, empty otherwise.",
    },
    { type: "textinput", id: "host", label: "Host", width: 8, default: DEFAULT_CONFIG.host, regex: Regex.SOMETHING },
    { type: "number", id: "port", label: "Port", width: 4, default: DEFAULT_CONFIG.port, min: 1, max: 65535 },
    { type: "textinput", id: "token", label: "Token", width: 8, default: DEFAULT_CONFIG.token },
    {
      type: "checkbox",
      id: "https",
      label: "HTTPS",
      width: 4,
      default: DEFAULT_CONFIG.https,
      tooltip: "On when the bridge is reached through an HTTPS reverse proxy (then the port is usually 443)",
    },
    {
      type: "dropdown",
      id: "language",
      label: "Key image language",
      width: 4,
      default: DEFAULT_CONFIG.language,
      choices: [
        { id: "en", label: "English" },
        { id: "fr", label: "Français" },
      ],
    },
  ];
}

/** The key images' language in stored settings (English when absent or unknown: older settings). */
export function keyImageLanguage(config: Partial<Record<keyof RelayModuleConfig, unknown>> | undefined): Lang {
  return parseLanguage(config?.language) ?? "en";
}

/** Where to reach the bridge, or why the settings cannot be used (said as a fix). */
export type BridgeAddress = { ok: true; baseUrl: string; token: string } | { ok: false; problem: string };

/** Reads the stored settings (any shape: older or hand-edited ones) into a bridge address. */
export function bridgeAddress(config: Partial<Record<keyof RelayModuleConfig, unknown>> | undefined): BridgeAddress {
  const host = String(config?.host ?? "").trim();
  const port = Number(config?.port);
  const token = String(config?.token ?? "").trim();
  const scheme = config?.https === true ? "https" : "http";
  if (host === "") return { ok: false, problem: "Host is empty: enter the bridge computer's address, e.g. 127.0.0.1" };
  if (/[\s/?#@]/.test(host) || host.includes("://")) {
    return { ok: false, problem: `Host "${host}" is not a host name or address: enter only the address, e.g. 192.168.1.20, without http:// or a path` };
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, problem: "Port must be a whole number from 1 to 65535 (the bridge's default is 8787)" };
  const bareHost = host.replace(/^\[(.*)\]$/, "$1");
  const urlHost = bareHost.includes(":") ? `[${bareHost}]` : bareHost;
  let baseUrl: string;
  try {
    baseUrl = new URL(`${scheme}://${urlHost}:${port}`).origin;
  } catch {
    return { ok: false, problem: `Host "${host}" is not a host name or address` };
  }
  return { ok: true, baseUrl, token };
}

// A stream key pasted inside the server URL (rtmp://host/app/KEY, key field empty): RTMP's URL is the
// server and its application, and everything after the application is the stream name, the key. For
// a platform preset the application is its URL's path (YouTube's live2, Facebook's rtmp); for any other
// server it is the first path segment, RTMP's own rule. Moving the rest into `key` changes nothing of
// where the relay pushes (url + "/" + key is the same address), and the key stays write-only.

import { findPlatform } from "../../contract/platforms.js";

/** What a URL's path holds: the server URL up to its application, and the stream name after it ("" = none). */
export interface UrlKeySplit {
  url: string;
  key: string;
}

/** Words in place of a key inside a URL, wherever a URL is shown. */
export const HIDDEN_KEY = "•••";

/** How many path segments of `url` are the application, for `platform` (a preset id) or any server. */
function appSegments(platform: string | undefined): number {
  const preset = findPlatform(platform);
  if (!preset || preset.url === "") return 1;
  try {
    return Math.max(1, new URL(preset.url).pathname.split("/").filter((segment) => segment !== "").length);
  } catch {
    return 1;
  }
}

/** `url` split into the server URL and the stream name inside it (the query, if any, goes with the name). */
export function splitUrlKey(url: string, platform?: string): UrlKeySplit {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, key: "" };
  }
  const segments = parsed.pathname.split("/").filter((segment) => segment !== "");
  const app = appSegments(platform);
  if (segments.length <= app) return { url, key: "" };
  const server = `${parsed.protocol}//${parsed.host}/${segments.slice(0, app).join("/")}`;
  return { url: server, key: `${segments.slice(app).join("/")}${parsed.search}` };
}

/** The URL as every answer, event and page shows it: a stream name inside it is `•••`. */
export function shownUrl(url: string, platform?: string): string {
  const split = splitUrlKey(url, platform);
  if (split.key === "") {
    // A query may carry a key too (rtmp://host/app?key=…).
    const query = url.indexOf("?");
    return query === -1 ? url : `${url.slice(0, query)}?${HIDDEN_KEY}`;
  }
  return `${split.url}/${HIDDEN_KEY}`;
}

/**
 * A destination as saved: with no key of its own, a key inside its URL moves to `key` (the push
 * address stays the same). With a key set, the URL is kept as given (and shown with `•••`).
 */
export function moveKeyOutOfUrl(destination: { url: string; key: string; platform?: string | undefined }): void {
  if (destination.key !== "") return;
  const split = splitUrlKey(destination.url, destination.platform);
  if (split.key === "" || split.key.startsWith("?")) return;
  destination.url = split.url;
  destination.key = split.key;
}

/** The secret inside a URL (the stream name after the application), or "" when there is none. */
export function keyInsideUrl(url: string, platform?: string): string {
  const split = splitUrlKey(url, platform);
  if (split.key !== "") return split.key;
  const query = url.indexOf("?");
  return query === -1 ? "" : url.slice(query + 1);
}

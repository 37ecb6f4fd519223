// A destination without a stream key: the platform would record (or refuse) an empty stream name.
// Allowed, because some servers take the key inside the URL (rtmp://host/app/KEY), but never silently.

/** True when `url` carries more than an application: its own key (rtmp://host/app/KEY or a query). */
export function urlCarriesKey(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const segments = parsed.pathname.split("/").filter((segment) => segment !== "");
  return segments.length >= 2 || parsed.search !== "";
}

/** The warning to show for a destination with `key` on `url`, or null when there is nothing to say. */
export function streamKeyWarning(url: string, key: string): string | null {
  if (key !== "" || urlCarriesKey(url)) return null;
  return "No stream key: the platform would get an empty stream name. Paste the stream key from the platform's page (Edit), or put it at the end of the server URL if that is how your server takes it";
}

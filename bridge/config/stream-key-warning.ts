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

/** A warning's stable code (the page says it in the streamer's language) and its English words. */
export interface DestinationWarning {
  code: "no_stream_key" | "over_platform_limit" | "encoder_behind" | "uplink_full" | "codec_not_accepted" | "codec_unreadable";
  message: string;
  /** What is over the platform's limits (`over_platform_limit`). */
  figures?: Array<{ what: "bitrate" | "height" | "fps" | "landscape"; sent: number; max: number }>;
  /** The ingest's video codec (`codec_not_accepted`, `codec_unreadable`). */
  codec?: string;
}

/** The warning to show for a destination with `key` on `url`, or null when there is nothing to say. */
export function streamKeyWarning(url: string, key: string): DestinationWarning | null {
  if (key !== "" || urlCarriesKey(url)) return null;
  return {
    code: "no_stream_key",
    message:
      "No stream key: the platform would get an empty stream name. Paste the stream key from the platform's page (Edit), or put it at the end of the server URL if that is how your server takes it",
  };
}

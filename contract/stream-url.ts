// Where a destination pushes: its server URL joined with its stream key (DESIGN: one `/` between them). Pure.

/**
 * The part of `key` that goes on the wire: its leading slashes fall into the one `/` of the join.
 * This, not the key as typed, is what programs print, so it is a secret of its own.
 */
export function sentStreamKey(key: string): string {
  return key.replace(/^\/+/, "");
}

/** `url` and `key` with exactly one `/` between them; the URL alone when the key is empty. */
export function joinStreamUrl(url: string, key: string): string {
  if (key === "") return url;
  return `${url.replace(/\/+$/, "")}/${sentStreamKey(key)}`;
}

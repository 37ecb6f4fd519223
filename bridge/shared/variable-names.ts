// Names of the variables Companion shows for a destination, shared by the bridge's `/api/variables`
// and Relay's Companion module so both spell them alike. Pure.

/** `youtube-rtmps` → `youtube_rtmps`: variable names keep to letters, digits and `_`. */
export function variablePrefix(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, "_");
}

// Where the page keeps the bridge token between visits (this browser only).

const STORAGE_KEY = "relay.token";

/** The stored token, or "" (also when storage is unavailable, e.g. a private window). */
export function loadToken(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? "";
  } catch {
    return "";
  }
}

/** Stores the token ("" forgets it). */
export function saveToken(token: string): void {
  try {
    if (token === "") localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Storage refused: the token lives for this page only.
  }
}

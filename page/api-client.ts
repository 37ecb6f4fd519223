// The page's only door to the bridge: JSON fetches and the event stream, with the token when one
// is needed. Errors come back as ApiRequestError carrying the bridge's code and field.

import { apiPaths, STATUS_EVENT, type ErrorBody, type StatusView } from "../contract/api.js";

/** An error answer from the bridge (or a network failure, with status 0). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

/** Fetches JSON from the bridge with the current token. */
export class ApiClient {
  constructor(private readonly token: () => string) {}

  /** Sends a request and answers the parsed JSON (undefined for 204). */
  async request<T>(path: string, init: { method?: string; body?: unknown; timeoutMs?: number } = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await fetch(path, {
        method: init.method ?? "GET",
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        credentials: "same-origin",
        cache: "no-store",
        // A bridge that hangs is as good as gone: the caller says how long it may take.
        ...(init.timeoutMs !== undefined ? { signal: AbortSignal.timeout(init.timeoutMs) } : {}),
      });
    } catch {
      throw new ApiRequestError(0, "unreachable", "The bridge cannot be reached: is it still running?");
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const body = text === "" ? undefined : safeJson(text);
    if (!response.ok) {
      const error = (body as ErrorBody | undefined)?.error;
      throw new ApiRequestError(response.status, error?.code ?? "http_error", error?.message ?? `The bridge answered ${response.status}`, error?.field);
    }
    return body as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>(path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>(path, { method: "POST", body });
  }

  /** Opens the status stream; EventSource cannot send headers, so the token rides in the query. */
  events(onStatus: (status: StatusView) => void): EventSource {
    const token = this.token();
    const url = token ? `${apiPaths.events}?token=${encodeURIComponent(token)}` : apiPaths.events;
    const source = new EventSource(url);
    source.addEventListener(STATUS_EVENT, (event) => {
      const status = safeJson((event as MessageEvent<string>).data) as StatusView | undefined;
      if (status) onStatus(status);
    });
    return source;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

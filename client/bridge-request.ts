// One HTTP request to the bridge's API, as the Stream Deck plugin and the Companion module both make it:
// the token in a header, a time limit, the whole body read, and every failure turned into one error
// (`BridgeRequestError`) in the words of bridge-messages.ts. Uses only fetch (Node 20+, browsers).

import { errorCodeOf, refusalMessage, unreachableMessage } from "./bridge-messages.js";
import { bridgeHeaders } from "./status-stream.js";

/** Where the bridge is: its base URL (no trailing slash) and its token ("" for none). */
export interface BridgeTarget {
  baseUrl: string;
  token: string;
}

/** One call of the API. */
export interface BridgeCall {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The path and query, from `apiPaths` (starts with "/"). */
  path: string;
  /** Sent as JSON when given. */
  json?: unknown;
  /** The Accept header; JSON unless told. */
  accept?: string;
}

export interface BridgeRequestOptions {
  fetch?: typeof fetch;
  /** Longest wait for the answer and its whole body. */
  timeoutMs?: number;
}

/** `BridgeRequestError.code` of a request that got no answer at all (the status page's client says the same). */
export const UNREACHABLE = "unreachable";
/** `BridgeRequestError.code` of an answer that should have been JSON and is not. */
export const NOT_JSON = "not_json";

/**
 * A request the bridge refused (`status`, and the bridge's own `code` when its body says one), or that got
 * no answer (`code` UNREACHABLE, no status). The message is for the user and never holds the token.
 */
export class BridgeRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = "BridgeRequestError";
  }

  /** True when the bridge gave no answer (down, unreachable, too slow), so following it again may help. */
  get unanswered(): boolean {
    return this.code === UNREACHABLE;
  }
}

const DEFAULT_TIMEOUT_MS = 5_000;

/** Makes the call and answers the body's bytes; throws a BridgeRequestError for no answer or a refusal. */
export async function requestBridge(target: BridgeTarget, call: BridgeCall, options: BridgeRequestOptions = {}): Promise<Uint8Array> {
  return (await answer(target, call, options)).body;
}

/** Makes the call and answers its JSON; an answer that is not JSON is a BridgeRequestError (NOT_JSON). */
export async function requestBridgeJson<T>(target: BridgeTarget, call: BridgeCall, options: BridgeRequestOptions = {}): Promise<T> {
  const { status, body } = await answer(target, call, options);
  try {
    return JSON.parse(new TextDecoder().decode(body)) as T;
  } catch {
    const path = call.path.split("?")[0];
    throw new BridgeRequestError(`${target.baseUrl} answered ${call.method} ${path} with something that is not JSON: is it the Relay bridge's host and port?`, status, NOT_JSON);
  }
}

async function answer(target: BridgeTarget, call: BridgeCall, options: BridgeRequestOptions): Promise<{ status: number; body: Uint8Array }> {
  const run = options.fetch ?? ((input, init) => fetch(input, init));
  const headers = bridgeHeaders(target.token, call.accept ?? "application/json");
  let response: Response;
  let body: Uint8Array;
  try {
    response = await run(target.baseUrl + call.path, {
      method: call.method,
      headers: call.json === undefined ? headers : { ...headers, "content-type": "application/json" },
      ...(call.json === undefined ? {} : { body: JSON.stringify(call.json) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new BridgeRequestError(withoutToken(unreachableMessage(target.baseUrl, error), target.token), undefined, UNREACHABLE);
  }
  if (!response.ok) {
    const text = new TextDecoder().decode(body);
    throw new BridgeRequestError(withoutToken(refusalMessage(target.baseUrl, response.status, text), target.token), response.status, errorCodeOf(text));
  }
  return { status: response.status, body };
}

/** The token cannot be in these words (it only travels in a header), but an error's own text is not ours. */
function withoutToken(message: string, token: string): string {
  return token === "" ? message : message.split(token).join("•••");
}

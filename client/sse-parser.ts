// Incremental parser for Server-Sent Events (the WHATWG event-stream format), fed text as it
// arrives: Node 20 has no EventSource, so the client reads fetch's body stream through this.

/** One dispatched event. `event` is "message" when the stream named none. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Feed it decoded text chunks; it calls `onEvent` for every complete event and `onRetry` for `retry:`. */
export interface SseParser {
  push(chunk: string): void;
}

export function createSseParser(onEvent: (event: SseEvent) => void, onRetry?: (ms: number) => void): SseParser {
  let buffer = "";
  let eventName = "";
  let data: string[] = [];
  let lastId: string | undefined;
  let startOfStream = true;

  const dispatch = () => {
    if (data.length > 0) onEvent({ event: eventName || "message", data: data.join("\n"), ...(lastId === undefined ? {} : { id: lastId }) });
    eventName = "";
    data = [];
  };

  const line = (text: string) => {
    if (text === "") return dispatch();
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") eventName = value;
    else if (field === "data") data.push(value);
    else if (field === "id" && !value.includes("\0")) lastId = value;
    else if (field === "retry" && /^\d+$/.test(value)) onRetry?.(Number(value));
  };

  return {
    push(chunk: string) {
      buffer += chunk;
      if (startOfStream && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        startOfStream = false;
      }
      // A lone "\r" at the end may be the first half of "\r\n": keep it until more text arrives.
      let start = 0;
      for (let index = 0; index < buffer.length; index++) {
        const char = buffer[index];
        if (char !== "\n" && char !== "\r") continue;
        if (char === "\r" && index === buffer.length - 1) break;
        line(buffer.slice(start, index));
        if (char === "\r" && buffer[index + 1] === "\n") index++;
        start = index + 1;
      }
      buffer = buffer.slice(start);
    },
  };
}

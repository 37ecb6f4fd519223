// A player that records when each audio/video message arrives, on the bridge's own RTMP play client.
// It subscribes before anyone publishes (nginx-rtmp keeps an idle subscriber and feeds it when a
// publisher comes), so one player watches a platform's stream across every toggle: the first video
// after a press is when the platform started receiving, the gaps between messages are the stalls a
// viewer would see.

import { playRtmp } from "../../bridge/media/rtmp/play-client.js";
import { readMediaTag } from "../../bridge/media/rtmp/media-tag.js";
import { now } from "../../rig/clock.js";

/** One audio or video message as it arrived. */
export interface Arrival {
  /** Epoch milliseconds (sub-millisecond resolution) when its last byte was read. */
  at: number;
  kind: "audio" | "video";
  keyframe: boolean;
  sequenceHeader: boolean;
  /** The stream's own timestamp, ms. */
  timestamp: number;
  bytes: number;
}

/** An onStatus the server sent (NetStream.Play.PublishNotify, ...UnpublishNotify). */
export interface StatusNote {
  at: number;
  code: string;
}

export interface Player {
  readonly arrivals: Arrival[];
  readonly statuses: StatusNote[];
  /** Total media bytes received. */
  readonly mediaBytes: number;
  readonly closed: boolean;
  /** Media messages that arrived at or after `from` (epoch ms). */
  arrivalsSince(from: number): Arrival[];
  /** Drops what was recorded before `before` (keeps memory bounded on long runs). */
  forget(before: number): void;
  close(): void;
}

export interface PlayerOptions {
  /** rtmp://HOST:PORT/APP */
  serverUrl: string;
  streamName: string;
  /** Keep per-message records (false: count bytes only). */
  record?: boolean;
  timeoutMs?: number;
}

/** Connects, plays `streamName` and resolves once the server accepted the play command. */
export async function startPlayer(options: PlayerOptions): Promise<Player> {
  const record = options.record ?? true;
  const arrivals: Arrival[] = [];
  const statuses: StatusNote[] = [];
  let mediaBytes = 0;
  const connection = await playRtmp(options, {
    onMedia(message) {
      if (message.typeId !== 8 && message.typeId !== 9) return;
      const at = now();
      mediaBytes += message.payload.length;
      if (!record) return;
      const tag = readMediaTag(message.typeId, message.payload);
      if (tag) arrivals.push({ at, ...tag, timestamp: message.timestamp, bytes: message.payload.length });
    },
    onStatus(code) {
      statuses.push({ at: now(), code });
    },
  });
  return {
    arrivals,
    statuses,
    get mediaBytes() {
      return mediaBytes;
    },
    get closed() {
      return connection.closed;
    },
    arrivalsSince(from) {
      // Arrivals are in time order: search from the end, where recent ones are.
      let index = arrivals.length;
      while (index > 0 && arrivals[index - 1]!.at >= from) index -= 1;
      return arrivals.slice(index);
    },
    forget(before) {
      const keep = arrivals.findIndex((arrival) => arrival.at >= before);
      arrivals.splice(0, keep < 0 ? arrivals.length : keep);
    },
    close() {
      connection.close();
    },
  };
}

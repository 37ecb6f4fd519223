// The OBS stand-in: ffmpeg sending a clip in a loop at its real pace (`-re`, `-c copy`) to an RTMP
// URL. Like OBS with "automatically reconnect" on, it can publish again when its connection drops.

import { execa, type ResultPromise } from "execa";
import { setTimeout as sleep } from "node:timers/promises";

export interface Publisher {
  /** Times the publisher had to start again after its connection ended. */
  readonly reconnects: number;
  /** Epoch ms of each (re)start. */
  readonly starts: number[];
  /** The pid of the ffmpeg publishing now (to freeze it with SIGSTOP, as a hung encoder). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export interface PublisherOptions {
  clip: string;
  url: string;
  /** Publish again this long after the connection ended (OBS's retry delay); off when undefined. */
  reconnectDelayMs?: number;
  /** Upper bound on reconnections, so a dead server cannot keep this loop going. */
  maxReconnects?: number;
}

/** The ffmpeg arguments of the publisher (pure). */
export function publisherArgs(clip: string, url: string): string[] {
  return ["-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-stream_loop", "-1", "-i", clip, "-c", "copy", "-f", "flv", url];
}

export function startPublisher(options: PublisherOptions): Publisher {
  let child: ResultPromise | undefined;
  let stopped = false;
  let reconnects = 0;
  const starts: number[] = [];
  const spawn = () => {
    starts.push(Date.now());
    child = execa("ffmpeg", publisherArgs(options.clip, options.url), { reject: false, stdin: "ignore", stdout: "ignore", stderr: "ignore" });
    return child;
  };
  const loop = (async () => {
    for (;;) {
      await spawn();
      if (stopped || options.reconnectDelayMs === undefined || reconnects >= (options.maxReconnects ?? 100)) return;
      reconnects += 1;
      await sleep(options.reconnectDelayMs);
      if (stopped) return;
    }
  })();
  return {
    get reconnects() {
      return reconnects;
    },
    starts,
    get pid() {
      return child?.pid;
    },
    async stop() {
      stopped = true;
      child?.kill("SIGTERM");
      await loop;
    },
  };
}

// Reads nginx-rtmp's stat XML (`rtmp_stat all`) into the numbers the bridge shows for the ingest.

import { XMLParser } from "fast-xml-parser";

export interface StatStream {
  app: string;
  name: string;
  /** Milliseconds since the stream began. */
  timeMs: number;
  bytesIn: number;
  /** nginx's own estimate, bits/s (updated only every few seconds). */
  bwIn: number;
  publishing: boolean;
  clients: number;
  video?: { codec: string; width: number; height: number; fps: number };
  audio?: { codec: string };
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => ["application", "stream", "client", "server"].includes(name),
});

/** Every live stream in the stat document. */
export function parseStat(xml: string): StatStream[] {
  const doc = parser.parse(xml) as { rtmp?: { server?: unknown[] } };
  const out: StatStream[] = [];
  for (const server of asArray(doc.rtmp?.server)) {
    for (const app of asArray((server as { application?: unknown[] }).application)) {
      const appName = text((app as { name?: unknown }).name);
      const live = (app as { live?: { stream?: unknown[] } }).live;
      for (const raw of asArray(live?.stream)) {
        const stream = raw as Record<string, any>;
        const video = stream.meta?.video;
        const audio = stream.meta?.audio;
        out.push({
          app: appName,
          name: text(stream.name),
          timeMs: num(stream.time),
          bytesIn: num(stream.bytes_in),
          bwIn: num(stream.bw_in),
          publishing: stream.publishing !== undefined,
          clients: num(stream.nclients),
          ...(video && text(video.codec) !== ""
            ? { video: { codec: text(video.codec), width: num(video.width), height: num(video.height), fps: num(video.frame_rate) } }
            : {}),
          ...(audio && text(audio.codec) !== "" ? { audio: { codec: text(audio.codec) } } : {}),
        });
      }
    }
  }
  return out;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === "") return [];
  return Array.isArray(value) ? value : [value];
}

function text(value: unknown): string {
  return value === undefined || value === null ? "" : String(value).trim();
}

function num(value: unknown): number {
  const parsed = Number(text(value));
  return Number.isFinite(parsed) ? parsed : 0;
}

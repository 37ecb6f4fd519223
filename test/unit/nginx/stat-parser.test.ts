import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseStat } from "../../../bridge/nginx/stat-parser.js";

// Both captured from nginx 1.22 + nginx-rtmp 1.1.4 (`rtmp_stat all`).
const live = readFileSync(new URL("../../fixtures/nginx-stat-live.xml", import.meta.url), "utf8");
const idle = readFileSync(new URL("../../fixtures/nginx-stat-idle.xml", import.meta.url), "utf8");

describe("parseStat", () => {
  it("reads a publishing stream with its codecs, size and fps", () => {
    expect(parseStat(live)).toEqual([
      {
        app: "live",
        name: "obs",
        timeMs: 3757,
        bytesIn: 1295591,
        bwIn: 0,
        publishing: true,
        clients: 1,
        video: { codec: "H264", width: 1280, height: 720, fps: 30 },
        audio: { codec: "AAC" },
      },
    ]);
  });
  it("reads an application with no stream as nothing live", () => {
    expect(parseStat(idle)).toEqual([]);
  });
  it("reads several applications and streams, and a stream without metadata yet", () => {
    const xml = `<?xml version="1.0"?><rtmp><server>
      <application><name>live</name><live>
        <stream><name>main</name><time>10</time><bytes_in>5</bytes_in><bw_in>8000</bw_in><nclients>2</nclients><publishing/><active/></stream>
        <stream><name>vertical</name><time>20</time><bytes_in>7</bytes_in><nclients>1</nclients><publishing/></stream>
      </live></application>
      <application><name>other</name><live><stream><name>x</name><time>1</time><nclients>1</nclients></stream></live></application>
    </server></rtmp>`;
    const streams = parseStat(xml);
    expect(streams.map((stream) => [stream.app, stream.name, stream.publishing])).toEqual([
      ["live", "main", true],
      ["live", "vertical", true],
      ["other", "x", false],
    ]);
    expect(streams[0]!.video).toBeUndefined();
    expect(streams[0]!.bwIn).toBe(8000);
  });
  it("survives an empty or broken document", () => {
    expect(parseStat("")).toEqual([]);
    expect(parseStat("<rtmp></rtmp>")).toEqual([]);
  });
});

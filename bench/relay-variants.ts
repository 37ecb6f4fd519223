// Standalone relays that read the ingest from nginx directly, as every relay did before the data plane:
// the product's own command line for that case (bridge/ffmpeg/relay-args.ts with `inputUrl`), and
// variants of its flags, compared side by side with the bridge's relays in the same rounds. Pure.

import { buildRelayArgs } from "../bridge/ffmpeg/relay-args.js";

/** One way to run a relay, named for the report. */
export interface RelayVariant {
  name: string;
  /** What differs from the direct relay, in words. */
  change: string;
  args(inputUrl: string, outputUrl: string): string[];
  /**
   * How it is asked to stop: "q" on stdin as the bridge does today (ffmpeg reads the keyboard only
   * every 100 ms), or SIGINT (ffmpeg's signal handler ends the loop at once, and still writes the
   * trailer and closes the output cleanly).
   */
  stop: "q" | "SIGINT";
}

/** Options that take a value and belong to the input (before `-i`) when they tune the reading. */
const INPUT_TUNING = ["-fflags", "-analyzeduration", "-probesize", "-fpsprobesize", "-tcp_nodelay"];

/** `args` without option `name` (and its value) in the input part (before `-i`). */
export function withoutInputOption(args: readonly string[], name: string): string[] {
  const input = args.indexOf("-i");
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    if (i < input && args[i] === name) {
      i += 1;
      continue;
    }
    out.push(args[i]!);
  }
  return out;
}

/** `args` with input option `name` set to `value` (replaced when present, else put just before `-i`). */
export function withInputOption(args: readonly string[], name: string, value: string): string[] {
  const out = withoutInputOption(args, name);
  out.splice(out.indexOf("-i"), 0, name, value);
  return out;
}

/** `args` with output option `name` set to `value` (replaced when present, else put before the output URL). */
export function withOutputOption(args: readonly string[], name: string, value: string): string[] {
  const input = args.indexOf("-i");
  const out = [...args];
  const at = out.findIndex((arg, index) => index > input + 1 && arg === name);
  if (at >= 0) {
    out[at + 1] = value;
    return out;
  }
  out.splice(out.length - 1, 0, name, value);
  return out;
}

/** Whether the input part of `args` sets `name` to `value`. */
export function hasInputOption(args: readonly string[], name: string, value?: string): boolean {
  const input = args.indexOf("-i");
  return args.some((arg, index) => index < input && arg === name && (value === undefined || args[index + 1] === value));
}

/** `args` without output option `name` (and its value). */
export function withoutOutputOption(args: readonly string[], name: string): string[] {
  const input = args.indexOf("-i");
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    if (i > input + 1 && i < args.length - 1 && args[i] === name) {
      i += 1;
      continue;
    }
    out.push(args[i]!);
  }
  return out;
}

const direct = (inputUrl: string, outputUrl: string) => buildRelayArgs({ inputUrl, outputUrl });
const without = (args: string[], name: string) => withoutOutputOption(withoutInputOption(args, name), name);

/** The name of the first variant: the relay before the data plane. */
export const DIRECT_RELAY = "direct from nginx";

/** The variants compared by the benchmark; the first is the relay before the data plane, as it was. */
export const RELAY_VARIANTS: readonly RelayVariant[] = [
  {
    name: DIRECT_RELAY,
    change: "buildRelayArgs({ inputUrl }): ffmpeg reads the ingest from nginx itself, no keyframe cache (the relay before the data plane); stopped with SIGINT",
    args: direct,
    stop: "SIGINT",
  },
  {
    name: "flags before e8d1db3",
    change: "-fflags nobuffer, no -fpsprobesize, no -tcp_nodelay; stopped with q (the relay until commit e8d1db3)",
    stop: "q",
    args: (inputUrl, outputUrl) => withInputOption(without(without(direct(inputUrl, outputUrl), "-tcp_nodelay"), "-fpsprobesize"), "-fflags", "nobuffer"),
  },
  {
    name: "ffmpeg defaults",
    change: "no input tuning and no -tcp_nodelay at all",
    stop: "SIGINT",
    args: (inputUrl, outputUrl) => withoutOutputOption(INPUT_TUNING.reduce((args, name) => withoutInputOption(args, name), direct(inputUrl, outputUrl)), "-tcp_nodelay"),
  },
  {
    name: "without -tcp_nodelay",
    change: "the direct relay without -tcp_nodelay 1 (input and output)",
    stop: "SIGINT",
    args: (inputUrl, outputUrl) => without(direct(inputUrl, outputUrl), "-tcp_nodelay"),
  },
  {
    name: "without -fpsprobesize 0",
    change: "the direct relay without -fpsprobesize 0",
    stop: "SIGINT",
    args: (inputUrl, outputUrl) => withoutInputOption(direct(inputUrl, outputUrl), "-fpsprobesize"),
  },
];

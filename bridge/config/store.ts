// Loads, validates and saves the config file: the one door of every change to it. Every write is
// validated first, written to a temp file with mode 0600 and renamed over the old one, and writes
// never interleave. A hand edit of the file is picked up by a watcher (or at the next write, whichever
// comes first); every change, written or edited, reaches the store's listeners.

import { linkSync, readFileSync, renameSync, rmSync, watch, type FSWatcher } from "node:fs";
import { chmod, lstat, mkdir, open, readdir, readFile, readlink, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { configSchema, defaultConfig, type Config } from "./schema.js";
import { ConfigError, describeIssues } from "./errors.js";

/** Parses and validates config text; throws ConfigError naming each key at fault. */
export function parseConfig(text: string, file: string): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // Never JSON.parse's own message: it quotes the text around the fault, which may be a stream key.
    throw new ConfigError(file, [`not valid JSON ${jsonErrorPlace(text)}: check quotes, commas and braces there`]);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(file, describeIssues(result.error.issues));
  return result.data;
}

/**
 * "at line L, column C" where `text` stops being valid JSON. JSON.parse's own message may quote the
 * text there (perhaps a stream key) and often gives no position, so a small scanner finds it.
 */
export function jsonErrorPlace(text: string): string {
  const fault = firstJsonFault(text);
  const before = text.slice(0, fault);
  const line = before.split("\n").length;
  const column = fault - before.lastIndexOf("\n");
  return `at line ${line}, column ${column}`;
}

const WHITESPACE = /[ \t\r\n]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** Offset of the first character that makes `text` invalid JSON (text.length when it ends too early). */
export function firstJsonFault(text: string): number {
  let at = 0;
  const skip = () => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const token = (pattern: RegExp) => {
    pattern.lastIndex = at;
    if (!pattern.exec(text)) throw at;
    at = pattern.lastIndex;
  };
  const expect = (char: string) => {
    skip();
    if (text[at] !== char) throw at;
    at += 1;
  };
  const value = (): void => {
    skip();
    const char = text[at];
    if (char === "{" || char === "[") {
      const close = char === "{" ? "}" : "]";
      at += 1;
      skip();
      if (text[at] === close) {
        at += 1;
        return;
      }
      for (;;) {
        if (close === "}") {
          skip();
          token(STRING);
          expect(":");
        }
        value();
        skip();
        if (text[at] === ",") {
          at += 1;
          continue;
        }
        expect(close);
        return;
      }
    }
    if (char === '"') return token(STRING);
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, at)) {
        at += literal.length;
        return;
      }
    }
    token(NUMBER);
  };
  try {
    value();
    skip();
    return at;
  } catch (fault) {
    return Math.min(fault as number, text.length);
  }
}

/** Validates a config about to be written; throws ConfigError naming each key at fault. */
export function validateConfig(config: unknown, file: string): Config {
  const result = configSchema.safeParse(config);
  if (!result.success) throw new ConfigError(file, describeIssues(result.error.issues));
  return result.data;
}

/** The name of a temp file `writeFileAtomic` writes beside `file` before renaming it over `file`. */
export function tempFileName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
}

/** True for a name `tempFileName` made for the file called `base` (any process, any random part). */
export function isTempFileOf(base: string, name: string): boolean {
  if (!name.startsWith(`${base}.`)) return false;
  return /^\d+\.[0-9a-f]+\.tmp$/.test(name.slice(base.length + 1));
}

/**
 * Removes the temp files an earlier write left beside `file` (a process killed mid-write leaves
 * one, holding every key of that moment). Answers the names removed.
 */
export async function removeLeftoverTempFiles(file: string): Promise<string[]> {
  const folder = dirname(file);
  const base = basename(file);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const leftovers = names.filter((name) => isTempFileOf(base, name));
  await Promise.all(leftovers.map((name) => rm(join(folder, name), { force: true })));
  return leftovers;
}

/**
 * The file a write of `file` must replace: `file` itself, or the end of its chain of symbolic links
 * (a config kept elsewhere and linked into the config folder stays a link). Also for a link whose
 * target does not exist yet.
 */
export async function resolveLinkTarget(file: string): Promise<string> {
  let current = resolve(file);
  for (let hops = 0; hops < 40; hops += 1) {
    let isLink: boolean;
    try {
      isLink = (await lstat(current)).isSymbolicLink();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return current;
      throw error;
    }
    if (!isLink) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw new Error(`${file}: too many symbolic links`);
}

/**
 * Writes `text` to `file` atomically (temp file + rename), readable by the owner only; through a
 * symbolic link to its target. The temp file is removed whatever fails, so no copy of the secrets
 * stays behind.
 */
export async function writeFileAtomic(path: string, text: string, expected?: string): Promise<void> {
  const file = await resolveLinkTarget(path);
  await mkdir(dirname(file), { recursive: true });
  const temp = tempFileName(file);
  try {
    const handle = await open(temp, "w", 0o600);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (expected === undefined) await rename(temp, file);
    else if (!replaceIfUnchanged(temp, file, expected)) throw new EditedMeanwhile();
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Where a write moves the file it replaces for a moment (see replaceIfUnchanged). */
export function asideFileName(file: string): string {
  return `${file}.replaced`;
}

/**
 * Puts `temp` in place of `file` only if `file` still holds `expected`, whatever another program does
 * meanwhile: the old file is moved aside (one rename takes whatever is there at that instant) and
 * compared, and the new one is linked in only where nothing took its place since (a link never
 * replaces). An edit found aside is put back. Answers false, changing nothing, when the file was edited.
 * Synchronous, so the file is missing for a few system calls only; a crash in between leaves the old
 * file aside, and the next start puts it back (`restoreAsideFile`).
 */
function replaceIfUnchanged(temp: string, file: string, expected: string): boolean {
  const aside = asideFileName(file);
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    renameSync(temp, file); // no file: nothing to keep
    return true;
  }
  let held: string | undefined;
  try {
    held = readFileSync(aside, "utf8");
  } catch {
    held = undefined;
  }
  if (held !== expected) {
    putInPlace(aside, file); // the edit goes back (unless a newer one took the place)
    return false;
  }
  if (!putInPlace(temp, file)) {
    rmSync(aside, { force: true });
    return false; // an edit landed while the file was aside: it stays
  }
  rmSync(aside, { force: true });
  return true;
}

/** Links `from` at `to` unless something is there already, then removes `from`; answers whether it went in. */
function putInPlace(from: string, to: string): boolean {
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      rmSync(from, { force: true });
      return false;
    }
    // A file system without hard links: a rename, which the place being empty makes safe enough.
    renameSync(from, to);
    return true;
  }
  rmSync(from, { force: true });
  return true;
}

/**
 * After a crash in the middle of a write, the config may be aside: it is put back when the file is
 * missing, removed when the file is there (it is an older copy, holding keys).
 */
export async function restoreAsideFile(file: string): Promise<void> {
  const aside = asideFileName(file);
  try {
    await lstat(file);
    await rm(aside, { force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await rename(aside, file).catch((renameError: NodeJS.ErrnoException) => {
      if (renameError.code !== "ENOENT") throw renameError;
    });
  }
}

/**
 * Makes `file` readable by its owner only (it holds every key), when others may read or write it.
 * Answers the mode it had, or null when it was private already (or on Windows, where modes do not apply).
 */
export async function makeOwnerOnly(file: string, platform: NodeJS.Platform = process.platform): Promise<number | null> {
  if (platform === "win32") return null;
  const mode = (await stat(file)).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  await chmod(file, 0o600);
  return mode;
}

/** A change of the config: what it was, what it is now, and whether the bridge wrote it or a hand edited the file. */
export interface ConfigChange {
  before: Config;
  after: Config;
  by: "write" | "edit";
}

export interface ConfigWatchOptions {
  /** A hand edit that is not a valid config (the last good one stays in use): said once per edit. */
  onInvalidEdit(error: Error): void;
  /** How long the file is left to settle after an event before it is read (editors write in steps). */
  settleMs?: number;
}

/** The config file on disk and the last good copy in memory. */
export class ConfigStore {
  #current: Config;
  #queue: Promise<unknown> = Promise.resolve();
  /** The file's text as last read or written: a different text on disk means someone edited it. */
  #lastText: string;
  /** The text of the last invalid hand edit reported, so it is said once. */
  #reportedInvalidText: string | undefined;
  /** What is wrong with the file while it holds an invalid hand edit (the last good config stays in use). */
  #invalidEdit: ConfigError | undefined;
  readonly #listeners = new Set<(change: ConfigChange) => void>();
  readonly #problemListeners = new Set<() => void>();
  #watchers: FSWatcher[] = [];
  /** The file the watchers follow (the end of the link chain when the config is a symbolic link). */
  #watchedTarget: string | undefined;
  #watchOptions: ConfigWatchOptions | undefined;
  #settleTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly file: string,
    current: Config,
    readonly created: boolean,
    text: string,
    /** Temp files of earlier writes found beside the file at start and removed. */
    readonly removedTempFiles: readonly string[] = [],
    /** The mode the file had when others could read it (it is 0600 now); null when it was private. */
    readonly tightenedFromMode: number | null = null,
  ) {
    this.#current = current;
    this.#lastText = text;
  }

  /** Loads `file`, creating it with defaults when it does not exist. A bad file throws and stays as is. */
  static async open(file: string): Promise<ConfigStore> {
    const target = await resolveLinkTarget(file);
    // Writes go through a link to its target, so their temp files are beside the target.
    const removed = (await Promise.all([...new Set([resolve(file), target])].map(removeLeftoverTempFiles))).flat();
    await restoreAsideFile(target);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      const fresh = validateConfig({ ...FIRST_START_NOTES, ...defaultConfig() }, file);
      const freshText = serialize(fresh);
      await writeFileAtomic(file, freshText);
      return new ConfigStore(file, fresh, true, freshText, removed);
    }
    const config = parseConfig(text, file);
    const tightened = await makeOwnerOnly(file);
    return new ConfigStore(file, config, false, text, removed, tightened);
  }

  get current(): Config {
    return this.#current;
  }

  /** What is wrong with the file, by key, while it holds an invalid hand edit; null when it is good. */
  get problems(): readonly string[] | null {
    return this.#invalidEdit?.problems ?? null;
  }

  /** Calls `listener` when `problems` changes (an invalid hand edit found, or fixed). Answers the unsubscribe function. */
  onProblems(listener: () => void): () => void {
    this.#problemListeners.add(listener);
    return () => this.#problemListeners.delete(listener);
  }

  #setInvalidEdit(error: ConfigError | undefined): void {
    const was = this.#invalidEdit?.problems.join("\n");
    this.#invalidEdit = error;
    if (was !== error?.problems.join("\n")) for (const listener of [...this.#problemListeners]) listener();
  }

  /**
   * Calls `listener` after every change: each write, and each valid hand edit found (by the watcher or
   * before a write). Called before the write's promise resolves. Answers the unsubscribe function.
   */
  onChange(listener: (change: ConfigChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Watches the file for hand edits: each one is read within about a second, validated, and becomes
   * the config (an invalid one is reported and the last good config stays). The folder is watched,
   * not the file: editors and the bridge itself replace the file by renaming a new one over it.
   */
  async watch(options: ConfigWatchOptions): Promise<void> {
    this.close();
    this.#watchOptions = options;
    const target = await resolveLinkTarget(this.file);
    this.#watchedTarget = target;
    const names = new Set([basename(this.file), basename(target)]);
    const settleMs = options.settleMs ?? 150;
    const check = () => {
      this.#settleTimer = undefined;
      const run = () =>
        this.#reloadIfEdited().then(
          () => this.#followLink(),
          (error: Error) => {
            options.onInvalidEdit(error);
            return this.#followLink();
          },
        );
      this.#queue = this.#queue.then(run, run);
    };
    for (const folder of new Set([dirname(resolve(this.file)), dirname(target)])) {
      const watcher = watch(folder, { persistent: false }, (_event, name) => {
        // Some systems give no name: read the file all the same (an unchanged text costs nothing).
        if (name !== null && !names.has(name.toString())) return;
        clearTimeout(this.#settleTimer);
        this.#settleTimer = setTimeout(check, settleMs);
      });
      watcher.on("error", () => undefined);
      this.#watchers.push(watcher);
    }
  }

  /**
   * The file was replaced by a symbolic link (or its link now points elsewhere): the watchers move to
   * the new target's folder, so edits of the new target are noticed too.
   */
  async #followLink(): Promise<void> {
    const options = this.#watchOptions;
    if (!options) return;
    const target = await resolveLinkTarget(this.file).catch(() => this.#watchedTarget);
    if (target === this.#watchedTarget) return;
    await this.watch(options);
  }

  /** Stops watching the file. */
  close(): void {
    clearTimeout(this.#settleTimer);
    for (const watcher of this.#watchers) watcher.close();
    this.#watchers = [];
  }

  #emit(change: ConfigChange): void {
    for (const listener of [...this.#listeners]) listener(change);
  }

  /**
   * The config as the file holds it now: a valid hand edit since the last read or write becomes the
   * config (and reaches the listeners); an invalid one throws ConfigError, once per text.
   */
  async #reloadIfEdited(): Promise<Config> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      // Gone (deleted, or between a rename's two steps): the next write puts the config back.
      this.#reportedInvalidText = undefined;
      this.#setInvalidEdit(undefined);
      return this.#current;
    }
    if (text === this.#lastText) {
      this.#reportedInvalidText = undefined;
      this.#setInvalidEdit(undefined);
      return this.#current;
    }
    let edited: Config;
    try {
      edited = parseConfig(text, this.file);
    } catch (error) {
      if (error instanceof ConfigError) this.#setInvalidEdit(error);
      if (this.#reportedInvalidText === text) return this.#current;
      this.#reportedInvalidText = text;
      throw error;
    }
    const before = this.#current;
    this.#current = edited;
    this.#lastText = text;
    this.#reportedInvalidText = undefined;
    this.#setInvalidEdit(undefined);
    this.#emit({ before, after: edited, by: "edit" });
    return edited;
  }

  /**
   * Applies `change` to a copy of the config, validates the result and writes it; writes run one at
   * a time, each on the result of the one before (and on a hand edit made since). Throws (and writes
   * nothing) when the result is invalid, the file holds an invalid edit, or `change` throws.
   */
  update(change: (draft: Config) => void): Promise<Config> {
    const run = async () => {
      for (let attempt = 1; ; attempt += 1) {
        const base = await this.#reloadIfEdited();
        // An invalid hand edit reported earlier still stands in the file: a write would drop it.
        if (this.#reportedInvalidText !== undefined) parseConfig(this.#reportedInvalidText, this.file);
        const draft = structuredClone(base);
        change(draft);
        const next = validateConfig(draft, this.file);
        const text = serialize(next);
        try {
          await writeFileAtomic(this.file, text, this.#lastText);
        } catch (error) {
          if (!(error instanceof EditedMeanwhile)) throw error;
          // A hand edit landed while this write was made: it is read, and the change applied on top of it.
          if (attempt < MAX_WRITE_ATTEMPTS) continue;
          throw new ConfigError(this.file, [
            `was edited ${MAX_WRITE_ATTEMPTS} times while the bridge wrote it: nothing was written (your edit is kept); try again once the file stops changing`,
          ]);
        }
        return this.#written(next, text);
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** The config just written becomes the current one, and the listeners hear of it. */
  #written(next: Config, text: string): Config {
    const before = this.#current;
    this.#current = next;
    this.#lastText = text;
    this.#emit({ before, after: next, by: "write" });
    return next;
  }
}

/** Writes made again on a hand edit that landed meanwhile, before the write gives up. */
const MAX_WRITE_ATTEMPTS = 5;

/** The file changed between its reading and the rename of a write over it. */
class EditedMeanwhile extends Error {}

/**
 * What a first start writes besides the defaults: JSON has no comments, so the help is in fields the
 * bridge keeps but never reads ("_help", "_examples"). Delete them whenever you like.
 */
export const FIRST_START_NOTES = {
  _help: {
    bridge: "Where the HTTP API, status page and Stream Deck plugin reach the bridge. Set token when host is not 127.0.0.1.",
    ingest:
      "OBS streams to rtmp://THIS-MACHINE:port/app with stream key = key (any key when key is empty). host 127.0.0.1 = OBS on this computer; 0.0.0.0 = OBS on another computer too (needs a key). When OBS drops, platforms are kept on a stand-in picture for holdSeconds (0 = off); slate = your own image file for it.",
    binaries: "Full paths to nginx (with the RTMP module), ffmpeg and stunnel; empty = look on PATH.",
    tls: "rtmps destinations: verify certificates (keep true); caFile = extra trusted CA bundle.",
    relays: "Retry delays, give-up count and stall timeout of each relay.",
    destinations: "Add them on the status page (http://127.0.0.1:8787/) or copy one from _examples; enabled = switched on.",
  },
  _examples: [
    { id: "youtube", name: "YouTube", platform: "youtube", url: "rtmp://a.rtmp.youtube.com/live2", key: "YOUR-YOUTUBE-KEY", enabled: false, transport: "auto" },
    { id: "twitch", name: "Twitch", platform: "twitch", url: "rtmp://live.twitch.tv/app", key: "live_YOUR_TWITCH_KEY", enabled: false, transport: "auto" },
    { id: "facebook", name: "Facebook", platform: "facebook", url: "rtmps://live-api-s.facebook.com:443/rtmp/", key: "FB-YOUR-KEY", enabled: false, transport: "auto" },
  ],
};

function serialize(config: Config): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

// Loads, validates and saves the config file. Every write is validated first, written to a temp
// file with mode 0600 and renamed over the old one, and writes never interleave.

import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { randomBytes } from "node:crypto";
import { configSchema, defaultConfig, type Config } from "./schema.js";
import { ConfigError, describeIssues } from "./errors.js";

/** Parses and validates config text; throws ConfigError naming each key at fault. */
export function parseConfig(text: string, file: string): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(file, describeIssues(result.error.issues));
  return result.data;
}

/** Validates a config about to be written; throws ConfigError naming each key at fault. */
export function validateConfig(config: unknown, file: string): Config {
  const result = configSchema.safeParse(config);
  if (!result.success) throw new ConfigError(file, describeIssues(result.error.issues));
  return result.data;
}

/** Writes `text` to `file` atomically (temp file + rename), readable by the owner only. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(temp, "w", 0o600);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The config file on disk and the last good copy in memory. */
export class ConfigStore {
  #current: Config;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    current: Config,
    readonly created: boolean,
  ) {
    this.#current = current;
  }

  /** Loads `file`, creating it with defaults when it does not exist. A bad file throws and stays as is. */
  static async open(file: string): Promise<ConfigStore> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      const fresh = defaultConfig();
      await writeFileAtomic(file, serialize(fresh));
      return new ConfigStore(file, fresh, true);
    }
    return new ConfigStore(file, parseConfig(text, file), false);
  }

  get current(): Config {
    return this.#current;
  }

  /**
   * Applies `change` to a copy of the config, validates the result and writes it; writes run one at
   * a time, each on the result of the one before. Throws (and writes nothing) when the result is invalid
   * or `change` throws.
   */
  update(change: (draft: Config) => void): Promise<Config> {
    const run = async () => {
      const draft = structuredClone(this.#current);
      change(draft);
      const next = validateConfig(draft, this.file);
      await writeFileAtomic(this.file, serialize(next));
      this.#current = next;
      return next;
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

function serialize(config: Config): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

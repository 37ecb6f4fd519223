// The bridge's log: one line per event on stderr (stdout carries only the "listening" line), every
// line redacted of stream keys. Scopes name the part speaking (nginx, relay:youtube, http).

export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  scope(name: string): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  redact: (text: string) => string;
  write?: (line: string) => void;
  now?: () => Date;
}

/** Parses `RELAY_LOG_LEVEL`-style text; unknown → info. */
export function parseLogLevel(text: string | undefined): LogLevel {
  return text && text in ORDER ? (text as LogLevel) : "info";
}

/** A logger whose every line is redacted before it is written. */
export function createLogger(options: LoggerOptions, scopeName = "bridge"): Logger {
  const level = options.level ?? "info";
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const emit = (at: LogLevel, message: string) => {
    if (ORDER[at] < ORDER[level]) return;
    write(options.redact(`${now().toISOString()} ${at.toUpperCase().padEnd(5)} [${scopeName}] ${message}`));
  };
  return {
    debug: (message) => emit("debug", message),
    info: (message) => emit("info", message),
    warn: (message) => emit("warn", message),
    error: (message) => emit("error", message),
    scope: (name) => createLogger({ ...options, level, write, now }, name),
  };
}

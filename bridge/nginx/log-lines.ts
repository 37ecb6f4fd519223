// nginx's error log lines, as it writes them to stderr: "2026/11/30 13:42:00 [info] 41#41: *3 message".
// The bridge runs nginx at level info to see a publish to a wrong application (nginx-rtmp says so at
// that level only) and keeps every other info line out of its own log.

const LEVELS = ["debug", "info", "notice", "warn", "error", "crit", "alert", "emerg"] as const;
export type NginxLogLevel = (typeof LEVELS)[number];

/** The level of an nginx log line; lines without one (nginx's own start-up text) count as warn. */
export function nginxLineLevel(line: string): NginxLogLevel {
  const match = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[([a-z]+)\]/.exec(line);
  const level = match?.[1] as NginxLogLevel | undefined;
  return level && LEVELS.includes(level) ? level : "warn";
}

/** True for lines below warn: chatter the bridge's log does not need. */
export function isNginxChatter(line: string): boolean {
  return ["debug", "info", "notice"].includes(nginxLineLevel(line));
}

/** The application a publisher asked for when nginx-rtmp has none by that name, else null. */
export function wrongApplicationIn(line: string): string | null {
  const match = /connect: application not found: '([^']{0,128})'/.exec(line);
  return match ? match[1]! : null;
}

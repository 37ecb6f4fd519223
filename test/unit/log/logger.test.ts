// The logger: every line redacted, debug lines hidden at the info level.

import { describe, expect, it } from "vitest";
import { createLogger } from "../../../bridge/log/logger.js";

describe("logger", () => {
  it("redacts every line", () => {
    const lines: string[] = [];
    const log = createLogger({ redact: (text) => text.replace("KEY", "•••"), write: (line) => lines.push(line), now: () => new Date(0) }).scope("relay:yt");
    log.info("pushing KEY");
    log.debug("hidden at info level");
    expect(lines).toEqual(["1970-01-01T00:00:00.000Z INFO  [relay:yt] pushing •••"]);
  });
});

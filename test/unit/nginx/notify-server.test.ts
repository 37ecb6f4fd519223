// nginx-rtmp's notifications as the notify server reads them.

import { describe, expect, it } from "vitest";
import { parseNotice } from "../../../bridge/nginx/notify-server.js";

describe("notices", () => {
  it("parses nginx-rtmp's publish notice", () => {
    expect(parseNotice("app=live&flashver=FMLE/3.0&tcurl=rtmp://127.0.0.1:11935/live&addr=127.0.0.1&clientid=1&call=publish&name=obs&type=live")).toEqual({
      app: "live",
      name: "obs",
      addr: "127.0.0.1",
      clientId: "1",
    });
  });
});

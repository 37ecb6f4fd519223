// The bridge's errors as the page shows them: English as the bridge said it, French by the error's
// code (with a sentence of its own for a form field), and the bridge's words for a code not known.

import { describe, expect, it } from "vitest";
import { errorText } from "../../page/error-text.js";
import { choosePageLanguage } from "../../page/page-language.js";

describe("errorText", () => {
  it("keeps the bridge's English message in English", () => {
    expect(errorText("en", { code: "duplicate_id", message: 'A destination with id "yt" exists already' })).toBe('A destination with id "yt" exists already');
  });

  it("says a known code in French", () => {
    expect(errorText("fr", { code: "unauthorized", message: "A valid token is needed" })).toMatch(/^Un jeton valide est nécessaire/);
    expect(errorText("fr", { code: "http_error", message: "The bridge answered 502", status: 502 })).toBe("Le bridge a répondu 502");
    expect(errorText("fr", { code: "obs_refused", message: "OBS refused: no scene" })).toBe("OBS a refusé : OBS refused: no scene");
  });

  it("has a sentence of its own for the form's fields, and names any other field", () => {
    expect(errorText("fr", { code: "invalid_field", field: "url", message: "url: must start with rtmp:// or rtmps:// (got http://)" })).toMatch(/^L'URL du serveur doit ressembler à rtmp:\/\//);
    expect(errorText("fr", { code: "invalid_field", field: "ingest.port", message: "ingest.port: must be a port from 1 to 65535" })).toBe(
      "Valeur refusée pour ingest.port : must be a port from 1 to 65535",
    );
  });

  it("falls back to the bridge's English message for a code it does not know", () => {
    expect(errorText("fr", { code: "something_new", message: "Something new went wrong" })).toBe("Something new went wrong");
  });
});

describe("choosePageLanguage", () => {
  it("takes the choice stored in this browser, else the browser's languages", () => {
    expect(choosePageLanguage(null, ["fr-FR", "en"])).toBe("fr");
    expect(choosePageLanguage("en", ["fr-FR"])).toBe("en");
    expect(choosePageLanguage("fr", ["en-US"])).toBe("fr");
    expect(choosePageLanguage("de", ["de-DE"])).toBe("en");
  });
});

// The message catalogues: every message exists in both languages with the same placeholders, and the
// lookup fills them, picks singular or plural, and reads language tags.

import { describe, expect, it } from "vitest";
import { PLATFORM_PRESETS } from "../../../contract/platforms.js";
import { CATALOGUES, LANGUAGES, languageOf, parseLanguage, preferredLanguage, t, tn } from "../../../presentation/i18n/translate.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe("message catalogues", () => {
  it("have the same ids in every language", () => {
    const english = Object.keys(CATALOGUES.en).sort();
    for (const lang of LANGUAGES) {
      const ids = Object.keys(CATALOGUES[lang]).sort();
      expect(ids.filter((id) => !english.includes(id)), `${lang}: ids English lacks`).toEqual([]);
      expect(english.filter((id) => !ids.includes(id)), `${lang}: ids missing`).toEqual([]);
    }
  });

  it("use the same placeholders in every language", () => {
    for (const lang of LANGUAGES) {
      for (const [id, text] of Object.entries(CATALOGUES[lang])) {
        expect(placeholders(text), `${lang} ${id}`).toEqual(placeholders(CATALOGUES.en[id as keyof typeof CATALOGUES.en]));
      }
    }
  });

  it("have no empty message, and French differs from English where words are said", () => {
    for (const lang of LANGUAGES) for (const [id, text] of Object.entries(CATALOGUES[lang])) expect(text.trim(), `${lang} ${id}`).not.toBe("");
    const same = Object.entries(CATALOGUES.fr).filter(([id, text]) => text === CATALOGUES.en[id as keyof typeof CATALOGUES.en]).map(([id]) => id);
    // Names, units and words French shares with English; any other copy of the English is a message left untranslated.
    expect(same.sort()).toEqual(
      [
        "inspector.destination",
        "inspector.destinations",
        "inspector.program.ffmpeg",
        "inspector.program.stunnel",
        "key.group.count",
        "key.notSet.detail2",
        "page.destinations.heading",
        "page.figure.bitrate",
        "page.figure.height",
        "page.obs.congestion",
        "page.obs.pending",
        "page.services.heading",
        "page.services.stunnel",
      ].sort(),
    );
  });

  it("say every platform preset's help, in English as the preset does", () => {
    for (const preset of PLATFORM_PRESETS) expect(CATALOGUES.en[`platform.help.${preset.id}` as keyof typeof CATALOGUES.en], preset.id).toBe(preset.help);
    expect(CATALOGUES.en["platform.name.custom"]).toBe(PLATFORM_PRESETS.find((preset) => preset.id === "custom")!.name);
  });

  it("write French key words in capitals, as the English ones", () => {
    for (const [id, text] of Object.entries(CATALOGUES.fr)) {
      if (/^key\.state\.|^key\.(offline|notSet|group\.(all|none))$/.test(id)) expect(text, id).toBe(text.toUpperCase());
    }
  });
});

describe("t and tn", () => {
  it("fill placeholders and leave unknown ones as written", () => {
    expect(t("en", "key.countdown.in", { time: "5 s" })).toBe("in 5 s");
    expect(t("fr", "key.countdown.in", { time: "5 s" })).toBe("dans 5 s");
    expect(t("fr", "key.countdown.in")).toBe("dans {time}");
  });

  it("take the singular for 1 in English and for 0 and 1 in French", () => {
    expect(tn("en", "page.card.restarts", 1)).toBe("1 restart");
    expect(tn("en", "page.card.restarts", 0)).toBe("0 restarts");
    expect(tn("fr", "page.card.restarts", 0)).toBe("0 redémarrage");
    expect(tn("fr", "page.card.restarts", 1)).toBe("1 redémarrage");
    expect(tn("fr", "page.card.restarts", 2)).toBe("2 redémarrages");
  });
});

describe("language tags", () => {
  it("read anything starting with fr as French, anything else as English", () => {
    expect(languageOf("fr")).toBe("fr");
    expect(languageOf("fr-CA")).toBe("fr");
    expect(languageOf("fr_FR")).toBe("fr");
    expect(languageOf("en")).toBe("en");
    expect(languageOf("de")).toBe("en");
    expect(languageOf("fry")).toBe("en");
    expect(languageOf(undefined)).toBe("en");
  });

  it("take a browser's first language Relay speaks", () => {
    expect(preferredLanguage(["fr-FR", "en-US"])).toBe("fr");
    expect(preferredLanguage(["de-DE", "fr"])).toBe("fr");
    expect(preferredLanguage(["de-DE", "en-GB", "fr"])).toBe("en");
    expect(preferredLanguage(["es"])).toBe("en");
    expect(preferredLanguage([])).toBe("en");
  });

  it("accept only a language Relay speaks as a choice", () => {
    expect(parseLanguage("fr")).toBe("fr");
    expect(parseLanguage("en")).toBe("en");
    expect(parseLanguage("FR")).toBeUndefined();
    expect(parseLanguage(null)).toBeUndefined();
  });
});

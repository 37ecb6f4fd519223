import { describe, expect, it } from "vitest";
import { encodeNoteText, lastErrorText } from "../../page/bridge-words.js";
import { explainRelayFailure } from "../../bridge/ffmpeg/explain-failure.js";

describe("the bridge's sentences in the page's language", () => {
  const refused = explainRelayFailure(["[tcp @ 0x55d0c0a4b2c0] Connection to tcp://127.0.0.1:1 failed: Connection refused"])!.message;

  it("says a relay's last error again in French, keeping ffmpeg's line as it is", () => {
    expect(lastErrorText(refused, "en")).toBe(refused);
    expect(lastErrorText(refused, "fr")).toBe(
      "Rien n'a accepté la connexion à 127.0.0.1:1 : vérifiez l'URL du serveur et le port (ou la plateforme est en panne). (ffmpeg: Connection to tcp://127.0.0.1:1 failed: Connection refused)",
    );
    const said = explainRelayFailure(['[rtmp @ 0x1] Server error: Invalid stream key. Try again'])!.message;
    expect(lastErrorText(said, "fr")).toMatch(/^La plateforme a refusé le flux \(elle a dit « Invalid stream key\. Try again »\)/);
  });

  it("says the failure inside an explanation too, and leaves a sentence it does not know as it is", () => {
    const drops = `The platform took the stream and dropped it at once, 3 times in a row: it refuses this stream key or server URL. Check both on the platform's page, then switch it on again. (${refused})`;
    expect(lastErrorText(drops, "fr")).toMatch(/^La plateforme a pris le flux et l'a lâché aussitôt, 3 fois de suite.*rallumez\. \(Rien n'a accepté la connexion à 127\.0\.0\.1:1 .*\(ffmpeg: Connection to/);
    expect(lastErrorText("the relay ended unexpectedly", "fr")).toBe("the relay ended unexpectedly");
  });

  it("says a re-encode's notes in French", () => {
    expect(encodeNoteText("1080p asked, the source is 720p: kept at 720p; nvenc does not work with this ffmpeg (Cannot load libcuda.so.1): using x264", "fr")).toBe(
      "1080p demandé, la source fait 720p : gardé à 720p ; nvenc ne marche pas avec ce ffmpeg (Cannot load libcuda.so.1) : x264 à la place",
    );
    expect(encodeNoteText("60 fps asked, the source has 30: kept at 30", "fr")).toBe("60 i/s demandées, la source en a 30 : gardé à 30");
  });
});

// Who can reach the ingest. It listens on this computer only (ingest.host 127.0.0.1, the default)
// unless the streamer says OBS runs on another computer (ingest.host 0.0.0.0 or one of this machine's
// addresses): then every publisher on the network reaches nginx-rtmp, whose worker one malformed
// message can crash, and only `ingest.key` keeps a stranger's stream from the platforms, so a key is
// required. A config that asks for the network without a key (a file from before, or a hand edit) is
// not refused, which would stop the bridge: the ingest listens on this computer only and says why. Pure.

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;

/** True when `host` is this computer only (a loopback address or localhost). */
export function isThisComputerOnly(host: string): boolean {
  return LOOPBACK.test(host);
}

/** The address nginx listens on: `ingest.host`, or 127.0.0.1 when it reaches the network without a key. */
export function ingestListenHost(ingest: { host: string; key: string }): string {
  return isThisComputerOnly(ingest.host) || ingest.key !== "" ? ingest.host : "127.0.0.1";
}

/** Why the ingest listens on this computer only although `ingest.host` asks for more, or null. */
export function exposureWarning(ingest: { host: string; key: string }): string | null {
  if (ingest.host === ingestListenHost(ingest)) return null;
  return (
    `ingest.host is ${ingest.host} (OBS on another computer) but ingest.key is empty: the ingest listens on this ` +
    `computer only, so no stranger on the network can send a stream to your platforms. For OBS on another ` +
    `computer, set a stream key (ingest.key, or "Set up OBS" makes one) and type it in OBS; for OBS on this ` +
    `computer, set ingest.host to 127.0.0.1`
  );
}

/** A settings change that opens the ingest to the network without a key: why it is refused, or null. */
export function exposureProblem(ingest: { host: string; key: string }): string | null {
  if (isThisComputerOnly(ingest.host) || ingest.key !== "") return null;
  return (
    `OBS on another computer needs a stream key: set ingest.key (letters, digits, '.', '-' or '_'; "Set up OBS" ` +
    `makes one) in the same change or before, and type it as OBS's stream key`
  );
}

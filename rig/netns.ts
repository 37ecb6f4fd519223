// A constrained home uplink for a test: a network namespace of the test's own, joined to this host
// by a veth pair whose host side is shaped with `tc tbf` (what leaves the host towards the namespace
// is the "upload"). Platforms run inside the namespace on its address. Linux, as root, with iproute2;
// everything is removed by `remove()`, and a namespace left by a killed run of the same name first.

import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface ShapedLink {
  /** The namespace's name (`ip netns exec NAME …`). */
  name: string;
  /** The namespace's address, where its platforms listen. */
  address: string;
  /** Shapes the upload to `kbit` kbit/s. */
  setRate(kbit: number): Promise<void>;
  /** Removes the namespace and the veth pair (both ends go with the namespace). */
  remove(): Promise<void>;
}

/** True where a test can make namespaces: Linux, root, `ip` and `tc` present. */
export async function canShapeLinks(): Promise<boolean> {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  try {
    await run("ip", ["-V"]);
    await run("tc", ["-V"]);
    return true;
  } catch {
    return false;
  }
}

async function ip(...args: string[]): Promise<void> {
  await run("ip", args);
}

/** Makes the namespace and its shaped link (`kbit` kbit/s upload), numbered by `slot` (0..63). */
export async function createShapedLink(kbit: number, slot = process.pid % 64): Promise<ShapedLink> {
  const tag = `ru${process.pid % 100_000}`;
  const name = `relay-uplink-${process.pid}`;
  const hostSide = `${tag}h`;
  const nsSide = `${tag}n`;
  // A /30 of 10.239.0.0/16 that names the slot: host .1, namespace .2.
  const base = `10.239.${slot}`;
  const hostAddress = `${base}.1`;
  const address = `${base}.2`;
  const remove = async () => {
    await run("ip", ["netns", "delete", name]).catch(() => undefined);
    await run("ip", ["link", "delete", hostSide]).catch(() => undefined);
  };
  await remove();
  try {
    await ip("netns", "add", name);
    await ip("link", "add", hostSide, "type", "veth", "peer", "name", nsSide);
    await ip("link", "set", nsSide, "netns", name);
    await ip("addr", "add", `${hostAddress}/30`, "dev", hostSide);
    await ip("link", "set", hostSide, "up");
    await ip("netns", "exec", name, "ip", "addr", "add", `${address}/30`, "dev", nsSide);
    await ip("netns", "exec", name, "ip", "link", "set", nsSide, "up");
    await ip("netns", "exec", name, "ip", "link", "set", "lo", "up");
  } catch (error) {
    await remove();
    throw error;
  }
  const setRate = async (rate: number) => {
    // A queue of 100 ms at the rate, as a home router's; a burst of a few full packets.
    await run("tc", ["qdisc", "replace", "dev", hostSide, "root", "tbf", "rate", `${rate}kbit`, "burst", "32kb", "latency", "100ms"]);
  };
  try {
    await setRate(kbit);
  } catch (error) {
    await remove();
    throw error;
  }
  return { name, address, setRate, remove };
}

// Node's options for the bridge's own process, wherever it is started: the Stream Deck plugin's launcher,
// `npm run relay`, and the tests and benchmark (package.json's `start` script repeats them: npm scripts
// cannot import). Plain JavaScript, so the set-up script can use it before anything is built.
//
// --max-semi-space-size=1: V8's young generation at 1 MB a half instead of growing to 16. The data
// plane allocates a little for every media tag, all of it short-lived; the larger young generation
// only held about 27 MB more resident memory with 10 relays, for no less time spent collecting
// (npm run bench:profile measures both).

/** @type {readonly string[]} */
export const BRIDGE_NODE_FLAGS = Object.freeze(["--max-semi-space-size=1"]);

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

// The key renderer's process (bridge/render/key-png.ts starts it) is given its own options, not the
// bridge's (a profiler's or an inspector's among them):
// --wasm-num-compilation-tasks=1: V8 compiles resvg's hot WebAssembly functions again, optimised, on
// one of its background threads at a time instead of all of them (Node starts four). What each compiling
// thread used stayed in the process (glibc keeps a thread's freed memory for that thread): after 300 key
// PNGs the renderer holds 114 MB RSS with this option, 167 MB without, and draws them as fast.

/** @type {readonly string[]} */
export const KEY_RENDERER_NODE_FLAGS = Object.freeze(["--max-semi-space-size=1", "--wasm-num-compilation-tasks=1"]);

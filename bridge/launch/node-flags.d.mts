// Types of node-flags.mjs (plain JavaScript, so the set-up script can use it before anything is built).

/** Node's options for the bridge's own process. */
export declare const BRIDGE_NODE_FLAGS: readonly string[];

/** Node's options for the key renderer's process. */
export declare const KEY_RENDERER_NODE_FLAGS: readonly string[];

// The core's API, as the HTTP layer sees it: defined in domain/bridge-api.ts.
export * from "../domain/bridge-api.js";

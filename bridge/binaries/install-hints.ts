// How to install each program Relay runs, per OS: shown whenever one is missing. The advice itself
// is in the program table (programs.mjs), shared with the set-up script.

export { installHint, type ProgramName } from "./programs.mjs";

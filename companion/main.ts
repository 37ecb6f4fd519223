// Composition root of Relay's Companion module: Companion starts this file (the manifest's
// entrypoint) as a child process and talks to it over Node's IPC channel.

import { runEntrypoint } from "@companion-module/base";
import { RelayInstance } from "./relay-instance.js";

runEntrypoint(RelayInstance, []);

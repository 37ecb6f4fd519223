// What the module offers Companion, built from the bridge's destinations: the destination dropdown,
// the state choices, the boolean feedback's test, presets and the key image's size. Pure.

import type { CompanionPresetDefinitions, DropdownChoice } from "@companion-module/base";
import { KEY_IMAGE_SIZES, RELAY_STATES, type DestinationView, type StatusView } from "../contract/api.js";
import { variablePrefix } from "../presentation/variables.js";

/** Ids of the module's actions and feedbacks (other tools and saved buttons depend on them). */
export const ACTION_IDS = {
  start: "destination_start",
  stop: "destination_stop",
  toggle: "destination_toggle",
  allStart: "all_start",
  allStop: "all_stop",
  obsStart: "obs_start",
  obsStop: "obs_stop",
} as const;
export const FEEDBACK_IDS = { state: "destination_state", key: "destination_key", obsStreaming: "obs_streaming" } as const;

/** `holding` (OBS dropped, the platform kept on a stand-in) is offered even before every bridge sends it. */
export const STATE_CHOICE_IDS: readonly string[] = [...new Set([...RELAY_STATES, "holding"])];

const STATE_WORDS: Readonly<Record<string, string>> = {
  off: "off (switched off)",
  waiting: "waiting (on, OBS not sending)",
  starting: "starting",
  live: "live",
  holding: "holding (OBS dropped, stand-in picture)",
  retrying: "retrying",
  failed: "failed",
  stopping: "stopping",
};

/** The `state` option's choices. */
export function stateChoices(): DropdownChoice[] {
  return STATE_CHOICE_IDS.map((id) => ({ id, label: STATE_WORDS[id] ?? id }));
}

/** The `destination` option's choices: the bridge's destinations by id, labelled by name. */
export function destinationChoices(destinations: readonly Pick<DestinationView, "id" | "name">[]): DropdownChoice[] {
  return destinations.map((destination) => ({ id: destination.id, label: destination.name === destination.id ? destination.id : `${destination.name} (${destination.id})` }));
}

/** Changes exactly when the dropdowns, presets or variable names must be sent again (ids or names changed). */
export function definitionsKey(destinations: readonly Pick<DestinationView, "id" | "name">[]): string {
  return JSON.stringify(destinations.map((destination) => [destination.id, destination.name]));
}

/** The boolean feedback's answer: is this destination in this state now? (false while the bridge is away) */
export function destinationInState(status: StatusView | undefined, destinationId: unknown, state: unknown): boolean {
  const view = status?.destinations.find((destination) => destination.id === destinationId);
  return view !== undefined && view.state === state;
}

/** The OBS feedback's answer: is OBS (linked to the bridge) streaming now? */
export function obsStreaming(status: StatusView | undefined): boolean {
  return status?.obs?.connected === true && status.obs.streaming;
}

/** Pixel size of the square key image for a button's image area (72×72, or 72×58 under the top bar). */
export function keyImageSize(image: { width: number; height: number } | undefined): number {
  if (!image) return KEY_IMAGE_SIZES.default;
  const side = Math.floor(Math.min(image.width, image.height));
  if (!Number.isFinite(side) || side <= 0) return KEY_IMAGE_SIZES.default;
  return Math.min(KEY_IMAGE_SIZES.max, Math.max(KEY_IMAGE_SIZES.min, side));
}

const BLACK = 0x000000;
const WHITE = 0xffffff;

/** One button per destination (press toggles, the key image follows), and buttons for all on / all off. */
export function presetDefinitions(destinations: readonly Pick<DestinationView, "id" | "name">[]): CompanionPresetDefinitions {
  const presets: CompanionPresetDefinitions = {};
  for (const destination of destinations) {
    const presetId = `destination_${variablePrefix(destination.id)}`;
    // Ids that differ only by '-' and '_' share a name: the first keeps it, as with the variables.
    if (presets[presetId]) continue;
    presets[presetId] = {
      type: "button",
      category: "Destinations",
      name: destination.name,
      // The key image fills the button (no top bar), text stays empty: the picture names the platform.
      style: { text: "", size: "auto", color: WHITE, bgcolor: BLACK, show_topbar: false },
      previewStyle: { text: destination.name, size: "14", color: WHITE, bgcolor: BLACK, show_topbar: false },
      feedbacks: [{ feedbackId: FEEDBACK_IDS.key, options: { destination: destination.id } }],
      steps: [{ down: [{ actionId: ACTION_IDS.toggle, options: { destination: destination.id } }], up: [] }],
    };
  }
  for (const [verb, text, color] of [
    ["start", "ALL\nON", 0x1e7d32],
    ["stop", "ALL\nOFF", 0x8b1a1a],
  ] as const) {
    presets[`all_${verb}`] = {
      type: "button",
      category: "All destinations",
      name: verb === "start" ? "Switch every destination on" : "Switch every destination off",
      style: { text, size: "18", color: WHITE, bgcolor: color },
      feedbacks: [],
      steps: [{ down: [{ actionId: verb === "start" ? ACTION_IDS.allStart : ACTION_IDS.allStop, options: {} }], up: [] }],
    };
  }
  presets.obs_stream = {
    type: "button",
    category: "OBS",
    name: "Start OBS's stream (red while it streams)",
    style: { text: "OBS\nSTREAM", size: "18", color: WHITE, bgcolor: BLACK },
    feedbacks: [{ feedbackId: FEEDBACK_IDS.obsStreaming, options: {}, style: { bgcolor: 0xc4001a, color: WHITE } }],
    steps: [{ down: [{ actionId: ACTION_IDS.obsStart, options: {} }], up: [] }, { down: [{ actionId: ACTION_IDS.obsStop, options: {} }], up: [] }],
  };
  return presets;
}

// One Relay connection in Companion: follows the bridge's event stream and turns every status into
// dropdowns, presets, variables and feedbacks; actions are HTTP calls to the bridge.

import {
  InstanceBase,
  type CompanionActionDefinitions,
  type CompanionAdvancedFeedbackResult,
  type CompanionFeedbackDefinitions,
  type CompanionVariableValues,
  type SomeCompanionConfigField,
} from "@companion-module/base";
import { commandAll } from "../client/all-destinations.js";
import type { DestinationView, StatusView } from "../contract/api.js";
import { destinationKeyTicks } from "../presentation/key-image.js";
import { BridgeLink, type DestinationVerb } from "./bridge-link.js";
import { bridgeAddress, configFields, keyImageLanguage, type RelayModuleConfig } from "./config.js";
import type { Lang } from "../presentation/i18n/translate.js";
import {
  ACTION_IDS,
  definitionsKey,
  destinationChoices,
  destinationInState,
  obsStreaming,
  FEEDBACK_IDS,
  keyImageSize,
  presetDefinitions,
  stateChoices,
} from "./definitions.js";
import { instanceStatusOf, type LinkState } from "./link-state.js";
import { changedValues, variableDefinitions, variableValues } from "./variables.js";

const WHITE = 0xffffff;
const GREEN = 0x1e7d32;
const RED = 0xc4001a;
const GREY = 0x303030;

/** Relay's Companion connection (the class `runEntrypoint` starts). */
export class RelayInstance extends InstanceBase<RelayModuleConfig> {
  #language: Lang = "en";
  readonly #link = new BridgeLink({ onStatus: (status) => this.#onStatus(status), onState: (state) => this.#onState(state) });
  /** Which destinations (ids and names) the definitions sent to Companion were made from. */
  #definitionsKey: string | undefined;
  #values: CompanionVariableValues = {};
  #clock: ReturnType<typeof setInterval> | undefined;

  override async init(config: RelayModuleConfig): Promise<void> {
    this.#publishDefinitions([]);
    this.#connect(config);
    // Uptimes and the keys' clocks move without an event from the bridge.
    this.#clock = setInterval(() => this.#tick(), 1000);
  }

  override async configUpdated(config: RelayModuleConfig): Promise<void> {
    this.#connect(config);
  }

  override async destroy(): Promise<void> {
    clearInterval(this.#clock);
    this.#link.close();
  }

  override getConfigFields(): SomeCompanionConfigField[] {
    return configFields();
  }

  #connect(config: RelayModuleConfig): void {
    const language = keyImageLanguage(config);
    if (language !== this.#language) {
      this.#language = language;
      this.checkFeedbacks(FEEDBACK_IDS.key);
    }
    const address = bridgeAddress(config);
    if (address.ok) this.log("info", `Following the Relay bridge at ${address.baseUrl}`);
    this.#link.connect(address);
  }

  #onState(state: LinkState): void {
    const { status, message } = instanceStatusOf(state);
    this.updateStatus(status, message);
    if (state.kind === "connected") this.log("info", "Connected to the Relay bridge");
    else if (state.kind !== "connecting") this.log("warn", state.message);
    // Without a bridge, no destination is in any state and the keys show it.
    if (state.kind !== "connected") this.checkFeedbacks(FEEDBACK_IDS.state, FEEDBACK_IDS.key, FEEDBACK_IDS.obsStreaming);
  }

  #onStatus(status: StatusView): void {
    const key = definitionsKey(status.destinations);
    if (key !== this.#definitionsKey) {
      this.#definitionsKey = key;
      this.#publishDefinitions(status.destinations);
    }
    this.#publishValues(status);
    this.checkFeedbacks(FEEDBACK_IDS.state, FEEDBACK_IDS.key, FEEDBACK_IDS.obsStreaming);
  }

  #tick(): void {
    const status = this.#link.status();
    if (!status) return;
    this.#publishValues(status);
    if (status.destinations.some((view) => destinationKeyTicks(view, true))) this.checkFeedbacks(FEEDBACK_IDS.key);
  }

  #publishValues(status: StatusView): void {
    const next = variableValues(status, Date.now());
    const changed = changedValues(this.#values, next);
    this.#values = next;
    if (Object.keys(changed).length > 0) this.setVariableValues(changed);
  }

  /** Sends actions, feedbacks, presets and variable names made for these destinations. */
  #publishDefinitions(destinations: readonly DestinationView[]): void {
    this.setActionDefinitions(this.#actions(destinations));
    this.setFeedbackDefinitions(this.#feedbacks(destinations));
    this.setPresetDefinitions(presetDefinitions(destinations));
    this.setVariableDefinitions(variableDefinitions(destinations));
    this.#values = {};
  }

  #actions(destinations: readonly DestinationView[]): CompanionActionDefinitions {
    const choices = destinationChoices(destinations);
    const destination = {
      type: "dropdown",
      id: "destination",
      label: "Destination",
      choices,
      default: choices[0]?.id ?? "",
      allowCustom: true,
      tooltip: "The destination's id on the bridge (its status page shows it on each card)",
    } as const;
    const one = (verb: DestinationVerb, name: string, description: string) => ({
      name,
      description,
      options: [destination],
      callback: async (action: { options: Record<string, unknown> }) => {
        await this.#command(String(action.options.destination ?? ""), verb);
      },
    });
    return {
      [ACTION_IDS.start]: one("start", "Destination: switch on", "Starts relaying to the destination (goes live with OBS)"),
      [ACTION_IDS.stop]: one("stop", "Destination: switch off", "Stops relaying to the destination"),
      [ACTION_IDS.toggle]: one("toggle", "Destination: switch on/off", "Switches the destination over"),
      [ACTION_IDS.allStart]: { name: "All destinations: switch on", options: [], callback: async () => this.#commandAll("start") },
      [ACTION_IDS.allStop]: { name: "All destinations: switch off", options: [], callback: async () => this.#commandAll("stop") },
      [ACTION_IDS.obsStart]: { name: "OBS: start streaming", description: "Starts OBS's own stream (the bridge must be linked to OBS's WebSocket)", options: [], callback: async () => this.#obs("start") },
      [ACTION_IDS.obsStop]: { name: "OBS: stop streaming", description: "Stops OBS's own stream", options: [], callback: async () => this.#obs("stop") },
    };
  }

  #feedbacks(destinations: readonly DestinationView[]): CompanionFeedbackDefinitions {
    const choices = destinationChoices(destinations);
    const destination = { type: "dropdown", id: "destination", label: "Destination", choices, default: choices[0]?.id ?? "", allowCustom: true } as const;
    return {
      [FEEDBACK_IDS.state]: {
        type: "boolean",
        name: "Destination: state",
        description: "On while the destination is in the chosen state",
        defaultStyle: { bgcolor: GREEN, color: WHITE },
        options: [destination, { type: "dropdown", id: "state", label: "State", choices: stateChoices(), default: "live" }],
        callback: (feedback) => destinationInState(this.#link.status(), feedback.options.destination, feedback.options.state),
      },
      [FEEDBACK_IDS.key]: {
        type: "advanced",
        name: "Destination: key image",
        description: "The destination's Stream Deck key (platform, state, bitrate, uptime), sized to the button",
        options: [destination],
        callback: async (feedback) => this.#keyImage(String(feedback.options.destination ?? ""), keyImageSize(feedback.image)),
      },
      [FEEDBACK_IDS.obsStreaming]: {
        type: "boolean",
        name: "OBS: streaming",
        description: "On while OBS (linked to the bridge) is streaming",
        defaultStyle: { bgcolor: RED, color: WHITE },
        options: [],
        callback: () => obsStreaming(this.#link.status()),
      },
    };
  }

  /** The key image as the button's picture, or words on grey when the bridge cannot give it. */
  async #keyImage(id: string, size: number): Promise<CompanionAdvancedFeedbackResult> {
    const status = this.#link.status();
    if (!status) return { text: "Relay\nbridge\noffline", size: "14", color: WHITE, bgcolor: GREY };
    if (!status.destinations.some((view) => view.id === id)) return { text: `${id || "?"}\nnot on the bridge`, size: "14", color: WHITE, bgcolor: GREY };
    try {
      const png = await this.#link.keyPng(id, size, this.#language);
      return { png64: Buffer.from(png).toString("base64"), pngalignment: "center:center" };
    } catch (error) {
      this.log("debug", `Key image of ${id}: ${(error as Error).message}`);
      return { text: `${id}\nno image`, size: "14", color: WHITE, bgcolor: GREY };
    }
  }

  async #command(id: string, verb: DestinationVerb): Promise<void> {
    if (id === "") throw new Error(`Choose a destination for ${verb}`);
    try {
      await this.#link.command(id, verb);
    } catch (error) {
      this.log("warn", `Could not ${verb} ${id}: ${(error as Error).message}`);
      throw error;
    }
  }

  async #obs(verb: "start" | "stop"): Promise<void> {
    try {
      await this.#link.obsStream(verb);
    } catch (error) {
      this.log("warn", `Could not ${verb} OBS's stream: ${(error as Error).message}`);
      throw error;
    }
  }

  async #commandAll(verb: "start" | "stop"): Promise<void> {
    const outcome = await commandAll(this.#link, [], verb);
    // A bridge without destinations has nothing to switch: not an error.
    if (outcome.kind === "done" || outcome.kind === "nothing") return;
    this.log("warn", outcome.message);
    throw outcome.kind === "unlisted" ? outcome.error : new Error(outcome.message);
  }
}

// What the HTTP API can do with OBS: read and change the connection settings, set OBS up for Relay
// and restore it, start and stop its stream. Validates input, keeps OBS's previous settings in the
// config file (0600, like every secret) and turns OBS's refusals into clear errors (RelayError).

import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { ConfigStore } from "../config/store.js";
import { obsPasswordSchema, obsUrlProblem } from "../config/schema.js";
import { formatKeyPath } from "../config/errors.js";
import { conflict, invalid, RelayError } from "../domain/errors.js";
import type { Logger } from "../log/logger.js";
import type { ObsSettingsView, ObsSetupView, ObsView } from "../../contract/api.js";
import { ObsLink, ObsUnavailableError } from "./obs-link.js";
import { ingestServerFor, makeIngestKey, planRestore, planSetup, type ObsService } from "./setup-plan.js";

/** The API's view of OBS (bridge/http/routes/obs-routes.ts calls it). */
export interface ObsApi {
  settings(): ObsSettingsView;
  updateSettings(patch: unknown): Promise<ObsSettingsView>;
  setup(): Promise<ObsSetupView>;
  restore(body: unknown): Promise<ObsView>;
  startStream(): Promise<ObsView>;
  stopStream(): Promise<ObsView>;
}

const patchSchema = z.strictObject({
  url: z
    .string("must be a string, e.g. ws://127.0.0.1:4455 (\"\" to not use OBS)")
    .superRefine((value, ctx) => {
      const problem = obsUrlProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  password: obsPasswordSchema.optional(),
});

const restoreSchema = z.strictObject({ force: z.boolean("must be true or false").optional() }).optional();

export class ObsControl implements ObsApi {
  constructor(
    private readonly store: ConfigStore,
    private readonly link: ObsLink,
    private readonly log: Logger,
  ) {
    // A hand edit of OBS's address or password moves the link too (the API's own change does that
    // itself, before it answers).
    store.onChange(({ before, after, by }) => {
      if (by === "edit" && (before.obs.url !== after.obs.url || before.obs.password !== after.obs.password)) void link.reconfigure();
    });
  }

  settings(): ObsSettingsView {
    const obs = this.store.current.obs;
    return { url: obs.url, hasPassword: obs.password !== "", obs: this.link.view };
  }

  async updateSettings(body: unknown): Promise<ObsSettingsView> {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw invalid("invalid_request", "The body must be a JSON object, e.g. {\"url\":\"ws://127.0.0.1:4455\",\"password\":\"…\"}");
    }
    const result = patchSchema.safeParse(body);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      if (issue.code === "unrecognized_keys") {
        throw invalid("unknown_field", `Unknown field ${issue.keys.map((key) => `"${key}"`).join(", ")}: allowed are url, password`, issue.keys[0]);
      }
      const field = formatKeyPath(issue.path);
      throw invalid("invalid_field", `${field}: ${issue.message}`, field);
    }
    const patch = result.data;
    await this.store.update((draft) => {
      if (patch.url !== undefined) draft.obs.url = patch.url;
      if (patch.password !== undefined) draft.obs.password = patch.password;
    });
    this.log.info(`OBS settings changed: ${this.store.current.obs.url === "" ? "OBS not used" : `OBS at ${this.store.current.obs.url}`}`);
    await this.link.reconfigure();
    return this.settings();
  }

  async setup(): Promise<ObsSetupView> {
    this.#refuseWhileStreaming("set OBS up");
    const server = await this.#relayServer();
    const current = await this.#call(() => this.link.getService());
    let key = this.store.current.ingest.key;
    const keyGenerated = key === "";
    if (keyGenerated) key = makeIngestKey(randomBytes(24));
    const plan = planSetup(current, server, key, this.store.current.ingest);
    // OBS's settings are kept first: if setting OBS fails afterwards, nothing of the streamer's is lost.
    if (plan.keep) {
      await this.store.update((draft) => {
        draft.obs.previousService = { ...plan.keep! };
      });
    }
    await this.#call(() => this.link.setService(plan.apply));
    // The new key only after OBS took it (OBS does not stream now: it is checked at its next publish).
    if (keyGenerated) {
      await this.store.update((draft) => {
        draft.ingest.key = key;
      });
    }
    this.log.info(`OBS set up to stream to ${server}${keyGenerated ? " with a new stream key (saved as ingest.key)" : " with ingest.key"}`);
    await this.link.refreshSettings();
    return { server, keyGenerated, alreadySetUp: plan.alreadySetUp, obs: this.link.view };
  }

  async restore(body: unknown): Promise<ObsView> {
    const parsed = restoreSchema.safeParse(body ?? undefined);
    if (!parsed.success) throw invalid("invalid_request", "The body may only be {\"force\": true}");
    this.#refuseWhileStreaming("restore OBS's settings");
    const current = await this.#call(() => this.link.getService());
    const plan = planRestore(current, this.store.current.obs.previousService as ObsService | undefined, this.store.current.ingest);
    if (plan.kind === "nothing-kept") {
      throw conflict("obs_nothing_to_restore", "There are no OBS settings to restore: Relay keeps them when it sets OBS up (POST /api/obs/setup)");
    }
    if (plan.kind === "changed-since" && parsed.data?.force !== true) {
      throw conflict("obs_settings_changed",
        "OBS no longer streams to Relay: its stream settings were changed since Relay set it up. Restore anyway with {\"force\": true}",
      );
    }
    await this.#call(() => this.link.setService(plan.apply));
    await this.store.update((draft) => {
      delete draft.obs.previousService;
    });
    this.log.info("OBS's previous stream settings restored");
    await this.link.refreshSettings();
    return this.link.view;
  }

  async startStream(): Promise<ObsView> {
    if (this.link.view.streaming) return this.link.view;
    await this.#call(() => this.link.startStream());
    return this.link.view;
  }

  async stopStream(): Promise<ObsView> {
    if (!this.link.view.streaming) return this.link.view;
    await this.#call(() => this.link.stopStream());
    return this.link.view;
  }

  #refuseWhileStreaming(what: string): void {
    if (this.link.view.connected && this.link.view.streaming) {
      throw conflict("obs_streaming", `OBS is streaming: stop OBS's stream first, then ${what} (OBS cannot change its stream settings while it streams)`);
    }
  }

  async #relayServer(): Promise<string> {
    const obsUrl = this.store.current.obs.url;
    // Without obs.url the link answers "not configured" (409) with what to set.
    if (obsUrl === "") await this.#call(() => this.link.getService());
    const obsHost = new URL(obsUrl).hostname.replace(/^\[|\]$/g, "");
    const local = await this.link.localAddressSeenByObs();
    const target = ingestServerFor(this.store.current.ingest, obsHost, local);
    if ("problem" in target) throw conflict("obs_cannot_reach_ingest", `OBS cannot be set up: ${target.problem}`);
    return target.server;
  }

  /** Runs a command to OBS; OBS's absence or refusal becomes an API error. */
  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (error instanceof RelayError) throw error;
      if (error instanceof ObsUnavailableError) {
        throw error.reason === "not-configured" ? conflict("obs_not_configured", error.message) : new RelayError("unavailable", "obs_not_connected", error.message);
      }
      const message = (error as Error)?.message ?? String(error);
      throw new RelayError("refused", "obs_refused", `OBS refused: ${message}`);
    }
  }
}

// A stand-in for Companion's module host (Companion 3.5 and 4.x with @companion-module/base 1.x): it
// starts a BUILT module folder the way Companion does and speaks the base's IPC protocol with it.
//
// As Companion: `node companion/<runtime.entrypoint>` with cwd = the module folder, env CONNECTION_ID,
// VERIFICATION_TOKEN and MODULE_MANIFEST=companion/manifest.json, stdio ['pipe','pipe','pipe','ipc'].
// Messages are {direction:'call', name, payload, callbackId} and {direction:'response', callbackId,
// success, payload} with EJSON payloads. The module calls `register` (the host checks the token and
// answers), then the host calls `init` with the connection's config; afterwards the module sends its
// definitions, status, variables and feedback values, and the host calls executeAction, updateFeedbacks,
// updateConfigAndLabel and destroy.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import EJSON from "ejson";
import { now } from "../../../rig/clock.js";

/** The module folder `npm run build` writes. */
export const COMPANION_MODULE_DIR = fileURLToPath(new URL("../../../dist/companion-module-relay", import.meta.url));

/** A call the module made to the host, as received. */
export interface ModuleCall {
  name: string;
  payload: any;
  /** now() when it arrived. */
  at: number;
}

/** One feedback instance on a button, as Companion keeps it for the module. */
export interface FeedbackInstance {
  id: string;
  feedbackId: string;
  options: Record<string, unknown>;
  controlId?: string;
  /** The button's image area, given to advanced feedbacks (72×72, or 72×58 under the top bar). */
  image?: { width: number; height: number };
}

export interface ModuleHostOptions {
  /** The connection's config, as Companion stores it. */
  config: Record<string, unknown>;
  label?: string;
  moduleDir?: string;
  /** Companion's `isFirstInit`: true for a connection just added. */
  isFirstInit?: boolean;
}

/** A running module and everything it told its host. */
export interface RunningModule {
  child: ChildProcess;
  /** Every call the module made, in order. */
  calls(): ModuleCall[];
  /** The latest `set-status` ({status, message}), or undefined before the first. */
  status(): { status: string; message: string | null } | undefined;
  /** Latest definitions sent by the module, keyed by id. */
  actions(): Map<string, any>;
  feedbacks(): Map<string, any>;
  presets(): Map<string, any>;
  variableDefinitions(): Map<string, string>;
  /** Variable values: the last value the module set for each name. */
  variables(): Record<string, string | number | boolean | undefined>;
  /** The last value the module sent for a feedback instance, and when. */
  feedbackValue(id: string): { value: any; at: number } | undefined;
  /** Everything the module logged through the host (`log-message`) and printed. */
  logs(): string;
  /** Runs an action as a button press does; rejects with the module's error. */
  executeAction(actionId: string, options: Record<string, unknown>): Promise<unknown>;
  /** Puts feedback instances on buttons (or removes them with null), as Companion does when buttons change. */
  updateFeedbacks(feedbacks: Record<string, FeedbackInstance | null>): Promise<void>;
  updateConfig(config: Record<string, unknown>): Promise<void>;
  /** Resolves when `check` is true, checking after every message (rejects after `timeoutMs`). */
  waitFor(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** destroy, then the process ends (killed if it does not). Resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the module folder as Companion does and completes register + init. */
export async function startModule(options: ModuleHostOptions): Promise<RunningModule> {
  const moduleDir = options.moduleDir ?? COMPANION_MODULE_DIR;
  const manifest = JSON.parse(readFileSync(join(moduleDir, "companion", "manifest.json"), "utf8"));
  if (manifest.runtime?.api !== "nodejs-ipc") throw new Error(`manifest runtime.api is ${manifest.runtime?.api}, not nodejs-ipc`);
  const entry = join("companion", manifest.runtime.entrypoint);
  if (!existsSync(join(moduleDir, entry))) throw new Error(`the manifest's entrypoint ${entry} is not in ${moduleDir}`);

  const connectionId = `relay-${randomBytes(4).toString("hex")}`;
  const verificationToken = randomBytes(12).toString("hex");
  const child = spawn(process.execPath, [entry], {
    cwd: moduleDir,
    env: { ...process.env, CONNECTION_ID: connectionId, VERIFICATION_TOKEN: verificationToken, MODULE_MANIFEST: "companion/manifest.json" },
    stdio: ["pipe", "pipe", "pipe", "ipc"],
  });

  const calls: ModuleCall[] = [];
  const actions = new Map<string, any>();
  const feedbacks = new Map<string, any>();
  const presets = new Map<string, any>();
  const variableDefinitions = new Map<string, string>();
  const variables: Record<string, string | number | boolean | undefined> = {};
  const feedbackValues = new Map<string, { value: any; at: number }>();
  let status: { status: string; message: string | null } | undefined;
  let logs = "";
  let exited: number | null | undefined;
  const waiters = new Set<() => void>();
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  let nextCallbackId = 1;
  let registered!: () => void;
  const registration = new Promise<void>((resolve) => (registered = resolve));

  child.stdout?.on("data", (chunk: Buffer) => (logs += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (logs += chunk.toString()));
  child.on("exit", (code) => {
    exited = code;
    for (const { reject, timer } of pending.values()) {
      clearTimeout(timer);
      reject(new Error(`the module exited (${code})`));
    }
    pending.clear();
    for (const wake of [...waiters]) wake();
  });

  const send = (message: object) => {
    if (child.connected) child.send(message);
  };
  const call = (name: string, payload: unknown, timeoutMs = 5000): Promise<unknown> => {
    const callbackId = nextCallbackId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(callbackId);
        reject(new Error(`${name}: the module did not answer in ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(callbackId, { resolve, reject, timer });
      send({ direction: "call", name, payload: EJSON.stringify(payload), callbackId });
    });
  };
  const respond = (callbackId: number | undefined, success: boolean, payload: unknown) => {
    if (callbackId) send({ direction: "response", callbackId, success, payload: EJSON.stringify(payload) });
  };

  const handleCall = (name: string, payload: any, callbackId: number | undefined) => {
    switch (name) {
      case "register":
        if (payload.verificationToken !== verificationToken || payload.connectionId !== connectionId) {
          // Companion restarts a module that registers with the wrong token; here the test fails on it.
          logs += `\n[host] register refused: wrong token or connection id\n`;
          child.kill();
          return;
        }
        respond(callbackId, true, {});
        registered();
        return;
      case "log-message":
        logs += `[${payload.level}] ${payload.message}\n`;
        return;
      case "set-status":
        status = { status: payload.status, message: payload.message ?? null };
        return;
      case "setActionDefinitions":
        actions.clear();
        for (const action of payload.actions) actions.set(action.id, action);
        return;
      case "setFeedbackDefinitions":
        feedbacks.clear();
        for (const feedback of payload.feedbacks) feedbacks.set(feedback.id, feedback);
        return;
      case "setPresetDefinitions":
        presets.clear();
        for (const preset of payload.presets) presets.set(preset.id, preset);
        return;
      case "setVariableDefinitions":
        variableDefinitions.clear();
        for (const variable of payload.variables) variableDefinitions.set(variable.id, variable.name);
        for (const name of Object.keys(variables)) if (!variableDefinitions.has(name)) delete variables[name];
        for (const { id, value } of payload.newValues ?? []) variables[id] = value;
        return;
      case "setVariableValues":
        // Companion keeps values only for defined variables.
        for (const { id, value } of payload.newValues) if (variableDefinitions.has(id)) variables[id] = value;
        return;
      case "updateFeedbackValues":
        for (const { id, value } of payload.values) feedbackValues.set(id, { value, at: now() });
        return;
      case "upgradedItems":
      case "saveConfig":
        respond(callbackId, true, undefined);
        return;
      case "parseVariablesInString":
        respond(callbackId, true, { text: payload.text, variableIds: [] });
        return;
      default:
        respond(callbackId, false, { message: `Unknown command "${name}"` });
    }
  };

  child.on("message", (message: any) => {
    if (message?.direction === "call") {
      const payload = message.payload ? EJSON.parse(message.payload) : undefined;
      calls.push({ name: message.name, payload, at: now() });
      handleCall(message.name, payload, message.callbackId);
    } else if (message?.direction === "response") {
      const waiting = pending.get(message.callbackId);
      if (!waiting) return;
      pending.delete(message.callbackId);
      clearTimeout(waiting.timer);
      const payload = message.payload ? EJSON.parse(message.payload) : undefined;
      if (message.success) waiting.resolve(payload);
      else waiting.reject(new Error(payload?.message ?? String(payload)));
    }
    for (const wake of [...waiters]) wake();
  });

  const waitFor = (check: () => boolean, what: string, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        clearInterval(poll);
        waiters.delete(test);
        if (error) reject(error);
        else resolve();
      };
      const test = () => {
        if (check()) finish();
        else if (exited !== undefined) finish(new Error(`waiting for ${what}: the module exited (${exited})\n${logs}`));
      };
      const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${logs}`)), timeoutMs);
      // Values that move with time (variables set by the module's own clock) arrive as messages too,
      // but a check may also depend on the caller's own state: look again now and then.
      const poll = setInterval(test, 50);
      waiters.add(test);
      test();
    });

  const running: RunningModule = {
    child,
    calls: () => calls,
    status: () => status,
    actions: () => actions,
    feedbacks: () => feedbacks,
    presets: () => presets,
    variableDefinitions: () => variableDefinitions,
    variables: () => variables,
    feedbackValue: (id) => feedbackValues.get(id),
    logs: () => logs,
    executeAction: (actionId, actionOptions) =>
      call("executeAction", {
        action: { id: `action-${nextCallbackId}`, controlId: "bank:1-1", actionId, options: actionOptions, upgradeIndex: null, disabled: false },
        surfaceId: undefined,
      }),
    async updateFeedbacks(instances) {
      const message: Record<string, unknown> = {};
      for (const [id, instance] of Object.entries(instances)) {
        message[id] = instance === null ? null : { controlId: "bank:1-1", isInverted: false, upgradeIndex: null, disabled: false, ...instance };
      }
      await call("updateFeedbacks", { feedbacks: message });
    },
    async updateConfig(config) {
      await call("updateConfigAndLabel", { label: options.label ?? "relay", config });
    },
    waitFor,
    async stop() {
      if (exited !== undefined) return exited;
      await call("destroy", {}, 3000).catch(() => undefined);
      // Companion ends the process after destroy.
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await new Promise<void>((resolve) => (exited !== undefined ? resolve() : child.once("exit", () => resolve())));
      clearTimeout(killer);
      return exited ?? null;
    },
  };

  const registerTimeout = setTimeout(() => child.kill(), 10_000);
  await Promise.race([
    registration,
    new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the module exited (${code}) before it registered\n${logs}`)))),
  ]).finally(() => clearTimeout(registerTimeout));
  await call(
    "init",
    { label: options.label ?? "relay", isFirstInit: options.isFirstInit ?? false, config: options.config, secrets: undefined, lastUpgradeIndex: -1, actions: {}, feedbacks: {} },
    10_000,
  );
  return running;
}

// The add/edit form in its dialog: presets fill the server URL, the key is write-only, and an
// error answer is shown beside the input it names.

import type { DestinationInput, DestinationPatch, DestinationView, EncoderView, Transport } from "../contract/api.js";
import type { CropChoice, EncoderChoice } from "../contract/encode.js";
import { PLATFORM_PRESETS, findPlatform } from "../contract/platforms.js";
import { ApiRequestError } from "./api-client.js";
import { h, setText } from "./dom.js";
import { errorMessage, pageLang, tr } from "./page-language.js";
import { CATALOGUES, type MessageId } from "../presentation/i18n/translate.js";
import {
  FORM_FIELDS,
  applyPreset,
  blankValues,
  fieldOfError,
  formProblems,
  messageForField,
  savesWithoutKey,
  transportApplies,
  toCreateInput,
  toPatch,
  valuesFromView,
  type DestinationFormValues,
  type FormField,
} from "./destination-form-model.js";

export interface DialogActions {
  create(input: DestinationInput): Promise<void>;
  update(id: string, patch: DestinationPatch): Promise<void>;
}

export interface DestinationDialog {
  openAdd(): void;
  openEdit(view: DestinationView): void;
  /** Marks the encoders this ffmpeg has not got working (from the status). */
  showEncoders(encoders: readonly EncoderView[] | undefined): void;
}

/** Drives the `#destination-dialog` of index.html. */
export function mountDestinationDialog(dialog: HTMLDialogElement, actions: DialogActions): DestinationDialog {
  const form = dialog.querySelector("form")!;
  const heading = dialog.querySelector<HTMLElement>("h2")!;
  const formError = form.querySelector<HTMLElement>(".form-error")!;
  const help = form.querySelector<HTMLElement>("#f-platform-help")!;
  const keyHint = form.querySelector<HTMLElement>("#f-key-hint")!;
  const clearKeyRow = form.querySelector<HTMLElement>("[data-field=clearKey]")!;
  const submit = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  const input = <T extends HTMLElement>(name: string) => form.elements.namedItem(name) as T;
  const platform = input<HTMLSelectElement>("platform");
  const name = input<HTMLInputElement>("name");
  const url = input<HTMLInputElement>("url");
  const key = input<HTMLInputElement>("key");
  const clearKey = input<HTMLInputElement>("clearKey");
  const transport = input<HTMLSelectElement>("transport");
  const quality = input<HTMLSelectElement>("quality");
  const videoKbps = input<HTMLInputElement>("videoKbps");
  const maxHeight = input<HTMLSelectElement>("maxHeight");
  const fps = input<HTMLSelectElement>("fps");
  const encoder = input<HTMLSelectElement>("encoder");
  const audioKbps = input<HTMLInputElement>("audioKbps");
  const crop = input<HTMLSelectElement>("crop");
  const priority = input<HTMLSelectElement>("priority");
  const giveWay = input<HTMLInputElement>("giveWay");
  const ownQuality = form.querySelector<HTMLElement>(".quality-own")!;
  const transportRow = form.querySelector<HTMLElement>("[data-field=transport]")!;
  const cropPreview = form.querySelector<HTMLElement>(".crop-preview")!;
  const showKey = form.querySelector<HTMLButtonElement>("button.show-key")!;
  const pasteKey = form.querySelector<HTMLButtonElement>("button.paste-key")!;
  const keyWarning = form.querySelector<HTMLElement>("#f-key-warning")!;
  /** The values a no-key warning was shown for: saving them again means "yes, without a key". */
  let warnedWithoutKey = "";
  let editing: DestinationView | undefined;
  // The preset the form shows: when the list changes, `platform.value` is already the new one, and
  // the name and URL count as untouched only against the preset they came from.
  let shownPlatform = "";

  // Brand names stay as they are; the custom preset's name and every preset's help are said in the page's language.
  const said = (id: string, fallback: string) => (id in CATALOGUES[pageLang()] ? tr(id as MessageId) : fallback);
  for (const preset of PLATFORM_PRESETS) platform.append(h("option", { value: preset.id }, said(`platform.name.${preset.id}`, preset.name)));

  const read = (): DestinationFormValues => ({
    platform: platform.value,
    name: name.value,
    url: url.value,
    key: key.value,
    clearKey: clearKey.checked,
    transport: transport.value as Transport,
    quality: quality.value === "own" ? "own" : "copy",
    videoKbps: videoKbps.value,
    maxHeight: maxHeight.value,
    fps: fps.value,
    encoder: encoder.value as EncoderChoice,
    audioKbps: audioKbps.value,
    crop: crop.value as CropChoice,
    priority: priority.value,
    giveWay: giveWay.checked,
  });
  const showQuality = () => {
    ownQuality.hidden = quality.value !== "own";
    cropPreview.hidden = crop.value !== "vertical";
  };
  // The transport is a choice for rtmps:// servers only; for rtmp:// it would mean nothing.
  const showTransport = () => (transportRow.hidden = !transportApplies(url.value));
  const setKeyShown = (shown: boolean) => {
    key.type = shown ? "text" : "password";
    showKey.setAttribute("aria-pressed", String(shown));
    setText(showKey, tr(shown ? "page.dialog.hideKey" : "page.dialog.showKey"));
  };
  const resetKeyWarning = () => {
    warnedWithoutKey = "";
    keyWarning.hidden = true;
    setText(submit, tr("page.dialog.save"));
  };
  const write = (values: DestinationFormValues) => {
    platform.value = values.platform;
    shownPlatform = values.platform;
    name.value = values.name;
    url.value = values.url;
    key.value = values.key;
    clearKey.checked = values.clearKey;
    transport.value = values.transport;
    quality.value = values.quality;
    videoKbps.value = values.videoKbps;
    // A height or frame rate typed into the config file that the lists lack is added to them.
    for (const [select, value] of [[maxHeight, values.maxHeight], [fps, values.fps]] as const) {
      if (![...select.options].some((option) => option.value === value)) select.append(h("option", { value }, value));
      select.value = value;
    }
    encoder.value = values.encoder;
    audioKbps.value = values.audioKbps;
    crop.value = values.crop;
    priority.value = values.priority;
    giveWay.checked = values.giveWay;
    showQuality();
    showTransport();
    const preset = findPlatform(values.platform);
    setText(help, preset ? said(`platform.help.${preset.id}`, preset.help) : "");
  };
  const clearErrors = () => {
    formError.hidden = true;
    keyWarning.hidden = true;
    for (const field of FORM_FIELDS) showFieldError(field, "");
  };
  const showFieldError = (field: FormField, message: string) => {
    const control = input<HTMLElement>(field);
    const slot = form.querySelector<HTMLElement>(`#f-${field}-error`)!;
    setText(slot, message);
    slot.hidden = message === "";
    if (message === "") control.removeAttribute("aria-invalid");
    else control.setAttribute("aria-invalid", "true");
  };
  const open = (values: DestinationFormValues, view: DestinationView | undefined) => {
    editing = view;
    clearErrors();
    write(values);
    setText(heading, view ? tr("page.dialog.edit", { name: view.name }) : tr("page.dialog.add"));
    setText(keyHint, tr(view?.hasKey ? "page.dialog.keyStored" : "page.dialog.keyNew"));
    clearKeyRow.hidden = !view?.hasKey;
    setKeyShown(false);
    resetKeyWarning();
    dialog.showModal();
    (view ? name : platform).focus();
  };
  // The key must not linger in the DOM once the dialog is gone.
  dialog.addEventListener("close", () => {
    key.value = "";
    setKeyShown(false);
    editing = undefined;
  });

  quality.addEventListener("change", showQuality);
  crop.addEventListener("change", showQuality);
  url.addEventListener("input", showTransport);
  showKey.addEventListener("click", () => setKeyShown(key.type === "password"));
  pasteKey.addEventListener("click", async () => {
    try {
      key.value = (await navigator.clipboard.readText()).trim();
    } catch {
      // No clipboard access here (plain HTTP on the LAN, or refused): Ctrl-V in the field still works.
    }
    key.focus();
  });
  pasteKey.hidden = typeof navigator.clipboard?.readText !== "function";
  for (const control of [key, url, clearKey]) control.addEventListener("input", resetKeyWarning);
  platform.addEventListener("change", () => write({ ...applyPreset({ ...read(), platform: shownPlatform }, platform.value), key: key.value }));
  form.querySelector<HTMLButtonElement>("button.cancel")!.addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const values = read();
    // Every problem the form can see, at once, before the bridge is asked.
    const problems = formProblems(values);
    if (problems.length > 0) {
      for (const problem of problems) showFieldError(problem.field, tr(problem.id, problem.params ?? {}));
      input<HTMLElement>(problems[0]!.field).focus();
      return;
    }
    // No key: said once; saving the same values again means the streamer adds it later.
    const fingerprint = JSON.stringify([values.url, values.key, values.clearKey]);
    if (savesWithoutKey(values, editing?.hasKey === true) && warnedWithoutKey !== fingerprint) {
      warnedWithoutKey = fingerprint;
      setText(keyWarning, tr("page.dialog.noKey"));
      keyWarning.hidden = false;
      setText(submit, tr("page.dialog.saveWithoutKey"));
      key.focus();
      return;
    }
    submit.disabled = true;
    try {
      if (editing) await actions.update(editing.id, toPatch(values));
      else await actions.create(toCreateInput(values));
      dialog.close();
    } catch (error) {
      const field = error instanceof ApiRequestError ? fieldOfError(error.field) : null;
      const message = errorMessage(error);
      if (field) {
        showFieldError(field, messageForField(message, (error as ApiRequestError).field));
        input<HTMLElement>(field).focus();
      } else {
        setText(formError, message);
        formError.hidden = false;
      }
    } finally {
      submit.disabled = false;
    }
  });

  return {
    openAdd: () => open(blankValues("youtube"), undefined),
    openEdit: (view) => open(valuesFromView(view), view),
    showEncoders(encoders) {
      for (const option of [...encoder.options]) {
        const family = option.value;
        const view = encoders?.find((one) => one.family === family);
        const base = family === "auto" ? tr("page.dialog.encoder.auto") : family;
        setText(option, view && !view.works ? tr("page.dialog.encoder.unavailable", { name: base }) : base);
        if (view?.error) option.title = view.error;
      }
    },
  };
}

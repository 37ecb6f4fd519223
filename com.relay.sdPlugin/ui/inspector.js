// Property inspector for Relay's keys. The Stream Deck app loads the page and calls
// connectElgatoStreamDeckSocket(); every field present in the page is wired up, so one script serves
// the three actions. No framework and no CDN: the app may be offline.
"use strict";

(function () {
  const DEFAULT_BRIDGE_URL = "http://127.0.0.1:8787";
  const DESTINATIONS_EVENT = "getDestinations";

  let socket = null;
  let context = "";
  let actionUuid = "";
  let settings = {};
  let globalSettings = {};
  let lastMessage = null;

  const byId = (id) => document.getElementById(id);
  const fields = {
    bridgeUrl: byId("bridgeUrl"),
    token: byId("token"),
    showToken: byId("showToken"),
    destination: byId("destination"),
    destinations: byId("destinations"),
    press: byId("press"),
    status: byId("status"),
    refresh: byId("refresh"),
  };

  function send(event, extra) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(Object.assign({ event: event }, extra)));
  }

  function saveSettings() {
    send("setSettings", { context: context, payload: settings });
  }

  function saveGlobalSettings() {
    send("setGlobalSettings", { context: context, payload: globalSettings });
    // The plugin rereads global settings on a refresh, whether or not the app forwards the change.
    askForDestinations(true);
  }

  function askForDestinations(isRefresh) {
    send("sendToPlugin", { action: actionUuid, context: context, payload: isRefresh ? { event: DESTINATIONS_EVENT, isRefresh: true } : { event: DESTINATIONS_EVENT } });
  }

  function showStatus(message) {
    if (!fields.status) return;
    if (!message || message.connecting) {
      fields.status.dataset.state = "pending";
      fields.status.textContent = "Looking for the bridge…";
    } else if (message.reachable) {
      const count = message.items.length;
      fields.status.dataset.state = "ok";
      fields.status.textContent = "Connected to the bridge: " + count + (count === 1 ? " destination" : " destinations") + ".";
    } else {
      fields.status.dataset.state = "error";
      fields.status.textContent = "Cannot reach the bridge. " + (message.problem || "");
    }
  }

  function option(value, label, selected) {
    const element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    element.selected = selected;
    return element;
  }

  function fillDestinationSelect() {
    const select = fields.destination;
    if (!select) return;
    const items = lastMessage ? lastMessage.items : [];
    const chosen = typeof settings.destination === "string" ? settings.destination : "";
    const options = [option("", items.length ? "Choose a destination…" : "No destinations", chosen === "")];
    options[0].disabled = true;
    for (const item of items) options.push(option(item.value, item.label, item.value === chosen));
    if (chosen && !items.some((item) => item.value === chosen)) {
      options.push(option(chosen, chosen + (lastMessage && lastMessage.reachable ? " (not on the bridge)" : ""), true));
    }
    select.replaceChildren.apply(select, options);
  }

  function fillDestinationChecks() {
    const list = fields.destinations;
    if (!list) return;
    const items = lastMessage ? lastMessage.items : [];
    const chosen = Array.isArray(settings.destinations) ? settings.destinations : [];
    const rows = items.map((item) => {
      const row = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = item.value;
      box.checked = chosen.includes(item.value);
      box.addEventListener("change", () => {
        settings.destinations = Array.from(list.querySelectorAll("input:checked")).map((input) => input.value);
        saveSettings();
      });
      row.append(box, document.createTextNode(item.label));
      return row;
    });
    if (rows.length === 0) {
      const empty = document.createElement("span");
      empty.textContent = "No destinations yet";
      rows.push(empty);
    }
    list.replaceChildren.apply(list, rows);
  }

  function fillFromSettings() {
    if (fields.press) {
      // Each key's select lists its own choices; an unknown or absent one shows the first (the default).
      const choices = Array.prototype.map.call(fields.press.options, (option) => option.value);
      fields.press.value = choices.indexOf(settings.press) >= 0 ? settings.press : choices[0];
    }
    fillDestinationSelect();
    fillDestinationChecks();
  }

  function fillFromGlobalSettings() {
    if (fields.bridgeUrl) fields.bridgeUrl.value = typeof globalSettings.bridgeUrl === "string" ? globalSettings.bridgeUrl : "";
    if (fields.token) fields.token.value = typeof globalSettings.token === "string" ? globalSettings.token : "";
  }

  function wireFields() {
    if (fields.bridgeUrl) {
      fields.bridgeUrl.placeholder = DEFAULT_BRIDGE_URL;
      fields.bridgeUrl.addEventListener("change", () => {
        globalSettings.bridgeUrl = fields.bridgeUrl.value.trim();
        saveGlobalSettings();
      });
    }
    if (fields.token) {
      fields.token.addEventListener("change", () => {
        globalSettings.token = fields.token.value.trim();
        saveGlobalSettings();
      });
    }
    if (fields.showToken && fields.token) {
      fields.showToken.addEventListener("click", () => {
        const hidden = fields.token.type === "password";
        fields.token.type = hidden ? "text" : "password";
        fields.showToken.textContent = hidden ? "Hide" : "Show";
      });
    }
    if (fields.destination) {
      fields.destination.addEventListener("change", () => {
        settings.destination = fields.destination.value;
        saveSettings();
      });
    }
    if (fields.press) {
      fields.press.addEventListener("change", () => {
        settings.press = fields.press.value;
        saveSettings();
      });
    }
    if (fields.refresh) fields.refresh.addEventListener("click", () => askForDestinations(true));
  }

  function onMessage(raw) {
    let message;
    try {
      message = JSON.parse(raw.data);
    } catch (error) {
      return;
    }
    if (message.event === "didReceiveGlobalSettings") {
      globalSettings = (message.payload && message.payload.settings) || {};
      fillFromGlobalSettings();
    } else if (message.event === "didReceiveSettings") {
      settings = (message.payload && message.payload.settings) || {};
      fillFromSettings();
    } else if (message.event === "sendToPropertyInspector" && message.payload && message.payload.event === DESTINATIONS_EVENT) {
      lastMessage = { items: Array.isArray(message.payload.items) ? message.payload.items : [], reachable: message.payload.reachable === true, connecting: message.payload.connecting === true, problem: message.payload.problem };
      showStatus(lastMessage);
      fillDestinationSelect();
      fillDestinationChecks();
    }
  }

  /** Called by the Stream Deck app once the page has loaded. */
  window.connectElgatoStreamDeckSocket = function (port, uuid, registerEvent, info, actionInfo) {
    context = uuid;
    try {
      const parsed = typeof actionInfo === "string" ? JSON.parse(actionInfo) : actionInfo;
      actionUuid = (parsed && parsed.action) || "";
      settings = (parsed && parsed.payload && parsed.payload.settings) || {};
    } catch (error) {
      settings = {};
    }
    fillFromSettings();
    showStatus(null);
    socket = new WebSocket("ws://127.0.0.1:" + port);
    socket.addEventListener("open", () => {
      send(registerEvent, { uuid: uuid });
      send("getGlobalSettings", { context: uuid });
      askForDestinations(false);
    });
    socket.addEventListener("message", onMessage);
  };

  wireFields();
})();

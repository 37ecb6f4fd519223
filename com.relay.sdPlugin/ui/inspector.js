// Property inspector for Relay's keys. The Stream Deck app loads the page and calls
// connectElgatoStreamDeckSocket(); every field present in the page is wired up, so one script serves
// the three actions. No framework and no CDN: the app may be offline.
"use strict";

(function () {
  const DEFAULT_BRIDGE_URL = "http://127.0.0.1:8787";
  const DESTINATIONS_EVENT = "getDestinations";
  const PROGRAM_PATH_EVENT = "setProgramPath";
  const PROGRAMS = [
    ["nginx", "nginx with RTMP", "the ingest OBS streams to"],
    ["ffmpeg", "ffmpeg", "one relay per platform"],
    ["stunnel", "stunnel", "only for RTMPS through stunnel"],
  ];

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
    runBridge: byId("runBridge"),
    setup: byId("setup"),
  };
  /** The last answer to a program path saved from this page, shown under that program. */
  const pathResults = {};

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
    if (fields.runBridge) fields.runBridge.checked = !(globalSettings.runBridge === false || globalSettings.runBridge === "false");
  }

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  /** Copies `text`: the clipboard API where the page may use it, else a selected text field. */
  function copyText(text, button) {
    const done = () => {
      button.textContent = "Copied";
      setTimeout(() => (button.textContent = "Copy"), 1500);
    };
    const fallback = () => {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.append(area);
      area.select();
      try {
        document.execCommand("copy");
        done();
      } finally {
        area.remove();
      }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }

  /** A line with `text` in a code box and a Copy button. */
  function copyLine(text, id) {
    const line = element("div", "line");
    const code = element("code", "", text);
    if (id) code.id = id;
    const button = element("button", "", "Copy");
    button.type = "button";
    button.addEventListener("click", () => copyText(text, button));
    line.append(code, button);
    return line;
  }

  /** The first-run help: the bridge on this computer, each program (install command, path), OBS, the status page. */
  let lastRendered = "";
  function renderSetup(message) {
    const box = fields.setup;
    if (!box) return;
    // Redraw only on a change: a redraw would drop what is being typed in a path field.
    const key = JSON.stringify([message && message.local, message && message.setup, message && message.statusPage, message && message.reachable, pathResults]);
    if (key === lastRendered) return;
    lastRendered = key;
    const parts = [];
    const local = message && message.local;
    if (local && local.runHere) {
      parts.push(element("h3", "", "Bridge on this computer"));
      let state;
      if (message.reachable) state = element("span", "ok", "Running.");
      else if (local.problem) state = element("span", "missing", local.problem);
      else if (local.started) state = element("span", "", "Starting…");
      else state = element("span", "", "Not running yet.");
      const line = element("div", "line");
      line.append(state);
      parts.push(line);
      parts.push(element("div", "note", "Config: " + local.configFile));
      parts.push(element("div", "note", "Log: " + local.logFile));
    }
    const setup = message && message.setup;
    if (setup && setup.binaries) {
      parts.push(element("h3", "", "Programs"));
      for (const [name, title, role] of PROGRAMS) {
        const program = setup.binaries[name];
        if (!program) continue;
        const head = element("div", "line");
        head.append(element("span", program.found ? "ok" : "missing", (program.found ? "✓ " : "✗ ") + title), element("span", "", " — " + role));
        parts.push(head);
        if (program.found) {
          parts.push(element("div", "note", program.found));
        } else {
          parts.push(element("div", "note", program.problem || "Not found."));
          parts.push(element("div", "note", "Install:"));
          parts.push(copyLine(program.install, "install-" + name));
        }
        const pathLine = element("div", "line");
        const input = document.createElement("input");
        input.type = "text";
        input.id = "path-" + name;
        input.spellcheck = false;
        input.placeholder = "Full path of " + name + (name === "nginx" ? " (e.g. C:\\nginx\\nginx.exe)" : "");
        input.value = program.configured || "";
        const save = element("button", "", "Save");
        save.type = "button";
        save.id = "save-" + name;
        save.addEventListener("click", () => {
          pathResults[name] = { ok: true, message: "Checking…" };
          send("sendToPlugin", { action: actionUuid, context: context, payload: { event: PROGRAM_PATH_EVENT, program: name, path: input.value.trim() } });
          renderSetup(lastMessage);
        });
        pathLine.append(input, save);
        parts.push(pathLine);
        const result = pathResults[name];
        if (result) {
          const note = element("div", "note " + (result.ok ? "ok" : "missing"), result.message);
          note.id = "result-" + name;
          parts.push(note);
        }
      }
    }
    if (setup && setup.obs) {
      parts.push(element("h3", "", "OBS: Settings → Stream (Service: Custom…)"));
      parts.push(element("div", "note", "Server"));
      parts.push(copyLine(setup.obs.server, "obs-server"));
      if (setup.obs.keyRequired) {
        const note = element("div", "note", "Stream key: the ingest.key you set in the bridge's config file (a secret: not shown here).");
        note.id = "obs-key";
        parts.push(note);
      } else {
        parts.push(element("div", "note", "Stream key (any: the bridge accepts every key)"));
        parts.push(copyLine("relay", "obs-key"));
      }
    }
    if (message && message.statusPage) {
      const line = element("div", "line");
      const open = element("button", "", "Open the status page");
      open.type = "button";
      open.id = "openStatusPage";
      open.addEventListener("click", () => send("openUrl", { payload: { url: message.statusPage } }));
      line.append(open);
      parts.push(line);
    }
    box.replaceChildren.apply(box, parts);
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
    if (fields.runBridge) {
      fields.runBridge.addEventListener("change", () => {
        globalSettings.runBridge = fields.runBridge.checked;
        saveGlobalSettings();
      });
    }
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
      const payload = message.payload;
      lastMessage = {
        items: Array.isArray(payload.items) ? payload.items : [],
        reachable: payload.reachable === true,
        connecting: payload.connecting === true,
        problem: payload.problem,
        local: payload.local || null,
        setup: payload.setup || null,
        statusPage: typeof payload.statusPage === "string" ? payload.statusPage : null,
      };
      showStatus(lastMessage);
      fillDestinationSelect();
      fillDestinationChecks();
      renderSetup(lastMessage);
    } else if (message.event === "sendToPropertyInspector" && message.payload && message.payload.event === PROGRAM_PATH_EVENT) {
      pathResults[message.payload.program] = { ok: message.payload.ok === true, message: String(message.payload.message || "") };
      renderSetup(lastMessage);
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

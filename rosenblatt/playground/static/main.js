// The playground page: controls, the WebSocket to the server, and what each frame draws.

import { ACTIVATIONS, FEATURES, FEATURE_LABELS, LEARNING_RATES, MAX_LAYERS, MAX_NEURONS,
  REG_RATES, readHash, toSettings, writeHash } from "./hash.js";
import { decode, paintChart, paintFeature, paintLinks, paintPoints, paintValues } from "./draw.js";
import { loadRuns, renderRuns, runsCsv, saveRuns } from "./log.js";

const $ = (id) => document.getElementById(id);
const parsed = readHash(location.hash);
const state = parsed.state;
let socket = null;
let data = null;
let last = null;
let history = [];
let running = false;
let customData = false;
let runs = loadRuns();

function notice(lines) {
  const box = $("notice");
  box.hidden = lines.length === 0;
  box.textContent = lines.join(" · ");
}

function showError(text) {
  const box = $("error");
  box.hidden = !text;
  box.textContent = text || "";
}

function options(select, values, label = (v) => String(v)) {
  select.replaceChildren(...values.map((v) => {
    const o = document.createElement("option");
    o.value = String(v);
    o.textContent = label(v);
    return o;
  }));
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function sendSettings() {
  history = [];
  const settings = toSettings(state);
  if (customData) settings.customData = true;
  window.history.replaceState(null, "", writeHash(state));
  send({ type: "settings", settings });
}

// ------------------------------------------------------------------ controls
function fillControls() {
  const lr = [...new Set([...LEARNING_RATES, state.learningRate])].sort((a, b) => a - b);
  options($("learningRate"), lr);
  options($("activation"), ACTIVATIONS);
  const reg = [...new Set([...REG_RATES, state.regularizationRate])].sort((a, b) => a - b);
  options($("regularizationRate"), reg);
  options($("classes"), [2, 3, 4, 5, 6]);
  for (const key of ["learningRate", "activation", "regularization", "regularizationRate",
    "problem", "optimizer", "loss", "schedule"]) $(key).value = String(state[key]);
  $("classes").value = String(state.classes);
  $("dropout").value = state.dropout;
  $("targetLoss").value = state.targetLoss ?? "";
  $("maxEpochs").value = state.maxEpochs;
  for (const key of ["percTrainData", "noise", "batchSize"]) {
    $(key).value = state[key];
    $(key + "Text").textContent = state[key];
  }
  $("showTestData").checked = state.showTestData;
  $("discretize").checked = state.discretize;
  $("rules").textContent = state.optimizer === "sgd" && state.loss === "squared" &&
    state.dropout === 0 && state.schedule === "constant" ? "original rules" : "rosenblatt rules";
  fillDatasets();
}

function fillDatasets() {
  const box = $("datasets");
  box.replaceChildren();
  const names = state.problem === "classification" ? ["circle", "xor", "gauss", "spiral"]
    : ["reg-plane", "reg-gauss"];
  for (const name of names) {
    const b = document.createElement("button");
    b.dataset.testid = `dataset-${name}`;
    b.title = name;
    const key = state.problem === "classification" ? "dataset" : "regDataset";
    if (state[key] === name && !customData) b.classList.add("chosen");
    const c = document.createElement("canvas");
    c.width = 48;
    c.height = 48;
    c.getContext("2d").font = "11px sans-serif";
    c.getContext("2d").fillText(name, 2, 28);
    b.appendChild(c);
    b.onclick = () => {
      state[key] = name;
      customData = false;
      if (state.classes > 2 && !["gauss", "spiral"].includes(name)) state.classes = 2;
      changed();
    };
    box.appendChild(b);
  }
}

function changed() {
  fillControls();
  buildNetwork();
  sendSettings();
}

function bind(id, key, parse) {
  $(id).addEventListener("change", () => {
    const value = parse($(id).value);
    if (value === undefined) return;
    state[key] = value;
    changed();
  });
}

function number(low, high, integer = false) {
  return (text) => {
    const v = Number(text);
    if (text === "" || !Number.isFinite(v) || v < low || v > high || (integer &&
      !Number.isInteger(v))) {
      showError(`expected a number from ${low} to ${high}, got "${text}"`);
      fillControls();
      return undefined;
    }
    return v;
  };
}

function wireControls() {
  bind("learningRate", "learningRate", Number);
  bind("activation", "activation", (v) => {
    state.layerActivations = [];  // the common choice applies to every hidden layer again
    return v;
  });
  bind("regularization", "regularization", (v) => v);
  bind("regularizationRate", "regularizationRate", Number);
  bind("problem", "problem", (v) => v);
  bind("optimizer", "optimizer", (v) => v);
  bind("loss", "loss", (v) => v);
  bind("schedule", "schedule", (v) => v);
  bind("classes", "classes", (v) => {
    const k = Number(v);
    if (k > 2 && !["gauss", "spiral"].includes(state.dataset)) state.dataset = "gauss";
    return k;
  });
  bind("dropout", "dropout", number(0, 0.9));
  bind("maxEpochs", "maxEpochs", number(0, 1000000, true));
  $("targetLoss").addEventListener("change", () => {
    const text = $("targetLoss").value;
    if (text === "") { state.targetLoss = null; changed(); return; }
    const v = number(1e-9, 100)(text);
    if (v !== undefined) { state.targetLoss = v; changed(); }
  });
  for (const key of ["percTrainData", "noise", "batchSize"]) {
    $(key).addEventListener("input", () => { $(key + "Text").textContent = $(key).value; });
    bind(key, key, Number);
  }
  for (const key of ["showTestData", "discretize"]) {
    $(key).addEventListener("change", () => {
      state[key] = $(key).checked;
      window.history.replaceState(null, "", writeHash(state));
      redraw();
    });
  }
  $("play").onclick = () => send({ type: running ? "pause" : "play" });
  $("step").onclick = () => send({ type: "step" });
  $("reset").onclick = () => { history = []; send({ type: "reset" }); };
  $("regenerate").onclick = () => {
    state.seed = Math.random().toFixed(5).slice(2);
    changed();
  };
  $("addLayer").onclick = () => {
    if (state.networkShape.length >= MAX_LAYERS) return;
    state.networkShape.push(2);
    if (state.layerActivations.length) state.layerActivations.push(state.activation);
    changed();
  };
  $("removeLayer").onclick = () => {
    if (state.networkShape.length === 0) return;
    state.networkShape.pop();
    state.layerActivations.pop();
    changed();
  };
  $("upload").addEventListener("change", async () => {
    const file = $("upload").files[0];
    if (!file) return;
    if (file.size > 256 * 1024) {
      showError(`csv: expected at most ${256 * 1024} bytes, got ${file.size}`);
      return;
    }
    customData = true;
    send({ type: "upload", csv: await file.text() });
  });
  $("savePng").onclick = savePng;
  $("exportModel").onclick = () => send({ type: "export", format: "model" });
  $("exportScript").onclick = () => send({ type: "export", format: "script" });
  $("logCsv").onclick = () => download("playground-runs.csv",
    new Blob([runsCsv(runs)], { type: "text/csv" }));
  $("logClear").onclick = () => { runs = []; saveRuns(runs); renderRuns($("runLog"), runs); };
}

// The per-layer choice: layer l's select sets layerActivations (one name per hidden layer,
// the common activation for the others); the server checks it as it checks the hash's.
function setLayerActivation(l, name) {
  const acts = state.networkShape.map((_, i) => state.layerActivations[i] ?? state.activation);
  acts[l] = name;
  state.layerActivations = acts.every((a) => a === state.activation) ? [] : acts;
  changed();
}

function layerActivationSelect(l) {
  const select = document.createElement("select");
  select.dataset.testid = `layer-activation-${l}`;
  select.title = `activation of hidden layer ${l + 1}`;
  options(select, ACTIVATIONS);
  select.value = state.layerActivations[l] ?? state.activation;
  select.addEventListener("change", () => setLayerActivation(l, select.value));
  return select;
}

// ------------------------------------------------------------------ the network
function node(testid, title, onclick) {
  const div = document.createElement("div");
  div.className = "node";
  div.dataset.testid = testid;
  div.title = title;
  const c = document.createElement("canvas");
  c.width = 25;
  c.height = 25;
  div.appendChild(c);
  if (onclick) div.onclick = onclick;
  return div;
}

function buildNetwork() {
  const columns = $("columns");
  columns.replaceChildren();
  const inputs = document.createElement("div");
  inputs.className = "column";
  inputs.innerHTML = '<div class="head">features</div>';
  for (const f of FEATURES) {
    const n = node(`feature-${f}`, `${FEATURE_LABELS[f]} (click to toggle)`, () => {
      state[f] = !state[f];
      if (!FEATURES.some((g) => state[g])) state[f] = true;
      changed();
    });
    if (!state[f]) n.classList.add("off");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = FEATURE_LABELS[f];
    n.appendChild(name);
    paintFeature(n.querySelector("canvas"), f);
    inputs.appendChild(n);
  }
  columns.appendChild(inputs);
  state.networkShape.forEach((units, l) => {
    const col = document.createElement("div");
    col.className = "column";
    const head = document.createElement("div");
    head.className = "head";
    const plus = document.createElement("button");
    plus.textContent = "+";
    plus.dataset.testid = `add-neuron-${l}`;
    plus.onclick = () => { if (units < MAX_NEURONS) { state.networkShape[l]++; changed(); } };
    const minus = document.createElement("button");
    minus.textContent = "−";
    minus.dataset.testid = `remove-neuron-${l}`;
    minus.onclick = () => { if (units > 1) { state.networkShape[l]--; changed(); } };
    head.append(plus, minus, document.createElement("br"), `${units} neurons`,
      document.createElement("br"), layerActivationSelect(l));
    col.appendChild(head);
    for (let j = 0; j < units; j++) col.appendChild(node(`neuron-${l}-${j}`, "neuron"));
    columns.appendChild(col);
  });
  const out = document.createElement("div");
  out.className = "column";
  out.innerHTML = '<div class="head">output</div>';
  const k = state.problem === "classification" && state.classes > 2 ? state.classes : 1;
  for (let j = 0; j < k; j++) out.appendChild(node(`neuron-out-${j}`, "output"));
  columns.appendChild(out);
  $("shapeText").textContent = state.networkShape.length
    ? `${state.networkShape.length} hidden layers` : "no hidden layer";
}

// ------------------------------------------------------------------ frames
function fmt(v) {
  return v === null || v === undefined ? "NaN" : v.toFixed(3);
}

function redraw() {
  if (!last) return;
  const heat = decode(last.heatmap);
  const classes = last.heatClass ? decode(last.heatClass) : null;
  paintValues($("heatmap"), heat, 100, state.discretize, classes);
  paintPoints($("points"), data, state.showTestData);
}

function onFrame(frame) {
  last = frame;
  const wasRunning = running;
  running = frame.running;
  history.push(...frame.history);
  if (history.length > 5000) history = history.slice(-5000);
  if (frame.epoch === 0) history = [[0, frame.trainLoss, frame.testLoss]];
  requestAnimationFrame(() => {
    $("epoch").textContent = String(frame.epoch);
    $("trainLoss").textContent = fmt(frame.trainLoss);
    $("testLoss").textContent = fmt(frame.testLoss);
    $("play").textContent = running ? "pause" : "play";
    redraw();
    paintChart($("chart"), history);
    const hidden = frame.neurons.slice(0, -1);
    hidden.forEach((layer, l) => layer.forEach((b64, j) => {
      const el = document.querySelector(`[data-testid="neuron-${l}-${j}"] canvas`);
      if (el) paintValues(el, decode(b64), 25);
    }));
    const outLayer = frame.neurons[frame.neurons.length - 1];
    outLayer.forEach((b64, j) => {
      const el = document.querySelector(`[data-testid="neuron-out-${j}"] canvas`);
      if (el) paintValues(el, decode(b64), 25);
    });
    paintLinks($("links"), $("net"), linkWeights(frame.weights));
    metrics(frame);
    send({ type: "ack" });
  });
  if (frame.stopped && (wasRunning || frame.history.length)) logRun(frame);
}

// the input column shows every feature: rows of unused features are left out by the server
function linkWeights(weights) {
  const used = FEATURES.filter((f) => state[f]);
  const first = FEATURES.map((f) => (used.includes(f) ? weights[0][used.indexOf(f)] : []));
  return [first, ...weights.slice(1)];
}

function metrics(frame) {
  $("accuracy").textContent = frame.trainAccuracy === undefined ? "-"
    : `${(100 * frame.trainAccuracy).toFixed(1)}% / ${(100 * frame.testAccuracy).toFixed(1)}%`;
  $("r2").textContent = frame.testR2 === undefined ? "-" : frame.testR2.toFixed(3);
  $("eps").textContent = frame.epochsPerSecond ? frame.epochsPerSecond.toFixed(0) : "-";
  const table = $("confusion");
  table.replaceChildren();
  if (frame.confusion) {
    const header = document.createElement("tr");
    header.innerHTML = "<th>true \\ predicted</th>";
    const k = frame.confusion.length;
    const names = k === 2 ? ["+1", "−1"] : [...Array(k).keys()].map(String);
    for (const n of names) header.innerHTML += `<th>${n}</th>`;
    table.appendChild(header);
    frame.confusion.forEach((row, i) => {
      const tr = document.createElement("tr");
      tr.innerHTML = `<th>${names[i]}</th>` + row.map((v) => `<td>${v}</td>`).join("");
      table.appendChild(tr);
    });
  }
  $("status").textContent = frame.message || "";
}

function logRun(frame) {
  const features = FEATURES.filter((f) => state[f]).map((f) => FEATURE_LABELS[f]).join(" ");
  const dataset = customData ? "uploaded" : state.problem === "classification"
    ? state.dataset + (state.classes > 2 ? ` (${state.classes} classes)` : "") : state.regDataset;
  const activation = state.layerActivations.length ? state.layerActivations.join(",")
    : state.activation;
  runs.push([dataset, features, state.networkShape.join(",") || "none", state.learningRate,
    activation, state.optimizer, state.loss, frame.epoch, fmt(frame.trainLoss),
    fmt(frame.testLoss), frame.stopped]);
  saveRuns(runs);
  renderRuns($("runLog"), runs);
}

// ------------------------------------------------------------------ files
function download(name, blob) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function savePng() {
  const c = document.createElement("canvas");
  c.width = 620;
  c.height = 360;
  const ctx = c.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage($("heatmap"), 10, 10, 300, 300);
  ctx.drawImage($("points"), 10, 10, 300, 300);
  ctx.drawImage($("chart"), 320, 10, 290, 60);
  ctx.fillStyle = "#000";
  ctx.font = "14px sans-serif";
  const lines = [`epoch ${$("epoch").textContent}`, `train loss ${$("trainLoss").textContent}`,
    `test loss ${$("testLoss").textContent}`, location.hash.slice(0, 60)];
  lines.forEach((t, i) => ctx.fillText(t, 320, 100 + 20 * i));
  c.toBlob((blob) => download(`playground-epoch-${$("epoch").textContent}.png`, blob));
}

function onExport(message) {
  if (message.format === "model") {
    const bytes = decode(message.base64);
    download(message.filename, new Blob([bytes], { type: "application/octet-stream" }));
  } else {
    download(message.filename, new Blob([message.text], { type: "text/x-python" }));
  }
}

// ------------------------------------------------------------------ the connection
function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws`);
  socket.onopen = () => sendSettings();
  socket.onmessage = (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    if (message.type === "frame") onFrame(message);
    else if (message.type === "data") { data = message; showError(""); }
    else if (message.type === "ready") {
      customData = !!message.settings.customData;
      if (customData) { state.classes = message.settings.classes; fillControls(); buildNetwork(); }
    } else if (message.type === "error") showError(message.message);
    else if (message.type === "export") onExport(message);
  };
  socket.onclose = () => {
    running = false;
    $("play").textContent = "play";
    showError("the connection to the playground server is closed; reload the page to reconnect");
  };
}

window.addEventListener("hashchange", () => {
  if (location.hash === writeHash(state)) return;
  const again = readHash(location.hash);
  Object.assign(state, again.state);
  notice(again.notices);
  changed();
});
window.addEventListener("resize", () => last && paintLinks($("links"), $("net"),
  linkWeights(last.weights)));

notice(parsed.notices);
fillControls();
wireControls();
buildNetwork();
renderRuns($("runLog"), runs);
connect();

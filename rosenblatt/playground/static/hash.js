// The URL hash: the TensorFlow Playground's keys (a course's link opens the same setup) and
// rosenblatt's own (targetLoss, optimizer, loss, classes, ...). Hostile values are clamped or
// reset, each with a notice; they never reach the server unchecked.

export const DEFAULTS = {
  activation: "tanh", batchSize: 10, dataset: "circle", regDataset: "reg-plane",
  learningRate: 0.03, regularization: "none", regularizationRate: 0, noise: 0,
  networkShape: [4, 2], seed: "0", showTestData: false, discretize: false, percTrainData: 50,
  x: true, y: true, xTimesY: false, xSquared: false, ySquared: false, cosX: false, sinX: false,
  cosY: false, sinY: false, collectStats: false, problem: "classification", initZero: false,
  hideText: false, targetLoss: null, maxEpochs: 0, optimizer: "sgd", loss: "squared",
  classes: 2, dropout: 0, schedule: "constant", layerActivations: [],
};

export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const ACTIVATIONS = ["tanh", "relu", "sigmoid", "linear", "leaky_relu", "elu", "gelu",
  "swish"];
export const FEATURES = ["x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"];
export const FEATURE_LABELS = { x: "x1", y: "x2", xSquared: "x1²", ySquared: "x2²",
  xTimesY: "x1·x2", sinX: "sin(x1)", sinY: "sin(x2)" };
export const MAX_LAYERS = 10;
export const MAX_NEURONS = 32;

const CHOICES = {
  activation: ACTIVATIONS, dataset: ["circle", "xor", "gauss", "spiral"],
  regDataset: ["reg-plane", "reg-gauss"], regularization: ["none", "L1", "L2"],
  problem: ["classification", "regression"], optimizer: ["sgd", "momentum", "adam", "rmsprop"],
  loss: ["squared", "crossentropy"], schedule: ["constant", "exponential"],
};
// [low, high, integer]
const RANGES = {
  batchSize: [1, 30, true], learningRate: [1e-6, 10, false], regularizationRate: [0, 10, false],
  noise: [0, 50, true], percTrainData: [10, 90, true], maxEpochs: [0, 1000000, true],
  classes: [2, 6, true], dropout: [0, 0.9, false],
};
const FLAGS = ["showTestData", "discretize", "x", "y", "xTimesY", "xSquared", "ySquared", "cosX",
  "sinX", "cosY", "sinY", "collectStats", "initZero", "hideText"];
const MAX_HASH = 4000;

function clampNumber(key, text, notices) {
  const [low, high, integer] = RANGES[key];
  let value = Number(text);
  if (text === "" || !Number.isFinite(value)) {
    notices.push(`${key}: "${short(text)}" is not a number; using ${DEFAULTS[key]}`);
    return DEFAULTS[key];
  }
  if (integer && !Number.isInteger(value)) {
    value = Math.round(value);
    notices.push(`${key}: rounded to ${value}`);
  }
  if (value < low || value > high) {
    const clamped = Math.min(high, Math.max(low, value));
    notices.push(`${key}: ${short(text)} is outside [${low}, ${high}]; using ${clamped}`);
    return clamped;
  }
  return value;
}

function short(text) {
  const s = String(text);
  return s.length > 24 ? s.slice(0, 21) + "..." : s;
}

function parseShape(text, notices) {
  if (text === "") return [];
  const parts = text.split(",");
  let shape = [];
  for (const part of parts) {
    const n = Number(part);
    if (part === "" || !Number.isFinite(n)) {
      notices.push(`networkShape: "${short(part)}" is not a layer size; dropped`);
      continue;
    }
    const c = Math.min(MAX_NEURONS, Math.max(1, Math.round(n)));
    if (c !== n) notices.push(`networkShape: ${short(part)} clamped to ${c}`);
    shape.push(c);
  }
  if (shape.length > MAX_LAYERS) {
    notices.push(`networkShape: at most ${MAX_LAYERS} hidden layers; the rest dropped`);
    shape = shape.slice(0, MAX_LAYERS);
  }
  return shape;
}

// {state, notices} from a hash such as "#activation=tanh&networkShape=4,2".
export function readHash(hash) {
  const state = structuredClone(DEFAULTS);
  const notices = [];
  let text = (hash || "").replace(/^#/, "");
  if (text.length > MAX_HASH) {
    notices.push(`the link is too long (${text.length} characters); only its start is read`);
    text = text.slice(0, MAX_HASH);
  }
  for (const pair of text.split("&")) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const key = at < 0 ? pair : pair.slice(0, at);
    let value = at < 0 ? "" : pair.slice(at + 1);
    try { value = decodeURIComponent(value); } catch (e) {
      notices.push(`${short(key)}: undecodable value ignored`);
      continue;
    }
    if (key in CHOICES) {
      if (CHOICES[key].includes(value)) state[key] = value;
      else notices.push(`${key}: "${short(value)}" is not one of ${CHOICES[key].join(", ")};` +
        ` using ${DEFAULTS[key]}`);
    } else if (key in RANGES) {
      state[key] = clampNumber(key, value, notices);
    } else if (FLAGS.includes(key)) {
      if (value === "true" || value === "false") state[key] = value === "true";
      else notices.push(`${key}: "${short(value)}" is not true or false; using ${DEFAULTS[key]}`);
    } else if (key === "networkShape") {
      state.networkShape = parseShape(value, notices);
    } else if (key === "seed") {
      const clean = value.replace(/[^A-Za-z0-9._-]/g, "").slice(0, 32);
      if (clean !== value) notices.push(`seed: only letters, digits, ".", "-", "_" (32 at most)`);
      state.seed = clean || DEFAULTS.seed;
    } else if (key === "targetLoss") {
      const v = Number(value);
      if (value !== "" && Number.isFinite(v) && v > 0 && v <= 100) state.targetLoss = v;
      else notices.push(`targetLoss: "${short(value)}" is not a loss in (0, 100]; no target`);
    } else if (key === "layerActivations") {
      const names = value === "" ? [] : value.split(",");
      if (names.every((n) => ACTIVATIONS.includes(n))) state.layerActivations = names;
      else notices.push(`layerActivations: unknown activation; using ${state.activation}`);
    } else {
      notices.push(`${short(key)}: not a playground setting; ignored`);
    }
  }
  if (state.layerActivations.length &&
      state.layerActivations.length !== state.networkShape.length) {
    notices.push("layerActivations: not one per hidden layer; using the common activation");
    state.layerActivations = [];
  }
  if (state.cosX || state.cosY) {
    notices.push("cosX, cosY: these features are not offered (nor in the original's page)");
  }
  if (!FEATURES.some((f) => state[f])) {
    notices.push("no input feature was chosen; using x1 and x2");
    state.x = true;
    state.y = true;
  }
  if (state.classes > 2 && !["gauss", "spiral"].includes(state.dataset)) {
    notices.push(`classes: ${state.classes} classes need the gauss or spiral set; using 2`);
    state.classes = 2;
  }
  return { state, notices };
}

// The hash of a state: the original's keys first, in its spelling.
export function writeHash(state) {
  const parts = [];
  for (const key of Object.keys(DEFAULTS)) {
    let value = state[key];
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) value = value.join(",");
    if (["targetLoss", "maxEpochs", "optimizer", "loss", "classes", "dropout", "schedule",
      "layerActivations"].includes(key) && String(value) === String(DEFAULTS[key] ?? "")) continue;
    parts.push(`${key}=${encodeURIComponent(String(value)).replace(/%2C/g, ",")}`);
  }
  return "#" + parts.join("&");
}

// The server's settings message of a state.
export function toSettings(state) {
  const s = {};
  for (const key of ["problem", "dataset", "regDataset", "noise", "percTrainData", "batchSize",
    "learningRate", "activation", "regularization", "regularizationRate", "networkShape", "seed",
    "initZero", "targetLoss", "maxEpochs", "optimizer", "loss", "classes", "dropout",
    "schedule", "layerActivations"]) s[key] = state[key];
  s.features = FEATURES.filter((f) => state[f]);
  if (s.problem === "regression") s.classes = 2;
  return s;
}

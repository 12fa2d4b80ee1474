// The run log: one row per finished run, kept in localStorage, exported as CSV.

const KEY = "rosenblatt-playground-runs";
export const COLUMNS = ["dataset", "features", "network", "learning rate", "activation",
  "optimizer", "loss", "epoch", "train loss", "test loss", "stopped"];

export function loadRuns() {
  try {
    const runs = JSON.parse(localStorage.getItem(KEY) || "[]");
    return Array.isArray(runs) ? runs.filter((r) => Array.isArray(r)).slice(-500) : [];
  } catch (e) {
    return [];
  }
}

export function saveRuns(runs) {
  try { localStorage.setItem(KEY, JSON.stringify(runs.slice(-500))); } catch (e) { /* full */ }
}

export function renderRuns(table, runs) {
  table.replaceChildren();
  const head = document.createElement("tr");
  for (const c of COLUMNS) {
    const th = document.createElement("th");
    th.textContent = c;
    head.appendChild(th);
  }
  table.appendChild(head);
  for (const run of runs) {
    const tr = document.createElement("tr");
    for (const v of run) {
      const td = document.createElement("td");
      td.textContent = String(v);
      tr.appendChild(td);
    }
    table.appendChild(tr);
  }
}

function field(v) {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function runsCsv(runs) {
  return [COLUMNS, ...runs].map((r) => r.map(field).join(",")).join("\n") + "\n";
}

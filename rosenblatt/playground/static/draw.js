// Drawing: the heat map, the points, neuron thumbnails, links and the loss chart.

const ORANGE = [245, 147, 34];
const GREY = [232, 234, 235];
const BLUE = [8, 119, 189];
export const CLASS_COLOURS = [[8, 119, 189], [245, 147, 34], [44, 160, 44], [214, 39, 40],
  [148, 103, 189], [140, 86, 75]];

// The original's scale: -1 orange, 0 grey, +1 blue.
export function colour(v) {
  const t = Math.max(-1, Math.min(1, v));
  const [a, b, s] = t < 0 ? [GREY, ORANGE, -t] : [GREY, BLUE, t];
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * s));
}

export function css(rgb) {
  return `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;
}

export function decode(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// Paint bytes (0..255 for -1..1) on a canvas of side n (the canvas is scaled by CSS).
export function paintValues(canvas, bytes, n, discretize = false, classes = null) {
  canvas.width = n;
  canvas.height = n;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    let rgb;
    if (classes) {
      const base = CLASS_COLOURS[classes[i] % CLASS_COLOURS.length];
      const c = discretize ? 1 : 0.25 + 0.6 * (bytes[i] / 255);
      rgb = base.map((v, k) => Math.round(GREY[k] + (v - GREY[k]) * c));
    } else {
      let v = bytes[i] / 127.5 - 1;
      if (discretize) v = v >= 0 ? 1 : -1;
      rgb = colour(v);
    }
    img.data.set([...rgb, 255], 4 * i);
  }
  ctx.putImageData(img, 0, 0);
}

// An input feature's picture, computed in the page (it never changes).
export function paintFeature(canvas, f, n = 25) {
  const bytes = new Uint8Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const x1 = -6 + (12 * c) / (n - 1);
      const x2 = 6 - (12 * r) / (n - 1);
      const v = { x: x1 / 6, y: x2 / 6, xSquared: (x1 * x1) / 18 - 1, ySquared: (x2 * x2) / 18 - 1,
        xTimesY: (x1 * x2) / 18, sinX: Math.sin(x1), sinY: Math.sin(x2) }[f];
      bytes[r * n + c] = Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5);
    }
  }
  paintValues(canvas, bytes, n);
}

// The data points over the heat map: train filled, test with a dark outline.
export function paintPoints(canvas, data, showTest) {
  const size = canvas.width;
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, size, size);
  if (!data) return;
  const sets = showTest ? [[data.train, false], [data.test, true]] : [[data.train, false]];
  for (const [rows, test] of sets) {
    for (const [x1, x2, label] of rows) {
      const px = ((x1 + 6) / 12) * size;
      const py = ((6 - x2) / 12) * size;
      let rgb;
      if (data.classes > 2) rgb = CLASS_COLOURS[label % CLASS_COLOURS.length];
      else rgb = colour(label);
      ctx.beginPath();
      ctx.arc(px, py, 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = css(rgb);
      ctx.fill();
      ctx.lineWidth = test ? 1.6 : 0.8;
      ctx.strokeStyle = test ? "#000" : "#fff";
      ctx.stroke();
    }
  }
}

// The loss chart: train (grey) and test (black) per epoch.
export function paintChart(canvas, history) {
  const ctx = canvas.getContext("2d");
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  if (history.length < 1) return;
  let top = 0;
  for (const [, tr, te] of history) top = Math.max(top, tr ?? 0, te ?? 0);
  top = top || 1;
  const n = history.length;
  for (const [index, style] of [[1, "#999"], [2, "#000"]]) {
    ctx.beginPath();
    history.forEach((row, i) => {
      const x = n === 1 ? 0 : (i / (n - 1)) * (w - 2) + 1;
      const y = h - 1 - ((row[index] ?? top) / top) * (h - 4);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.strokeStyle = style;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
}

// The links between neuron columns as SVG lines, width and colour showing the weight.
export function paintLinks(svg, container, weights) {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const box = container.getBoundingClientRect();
  svg.setAttribute("width", box.width);
  svg.setAttribute("height", box.height);
  const columns = [...container.querySelectorAll(".column")];
  for (let l = 0; l < weights.length && l + 1 < columns.length; l++) {
    const from = [...columns[l].querySelectorAll(".node")];
    const to = [...columns[l + 1].querySelectorAll(".node")];
    weights[l].forEach((row, i) => row.forEach((w, j) => {
      if (!from[i] || !to[j]) return;
      const a = from[i].getBoundingClientRect();
      const b = to[j].getBoundingClientRect();
      const line = document.createElementNS("http://www.w3.org/2000/svg", "line");
      line.setAttribute("x1", a.right - box.left);
      line.setAttribute("y1", a.top + a.height / 2 - box.top);
      line.setAttribute("x2", b.left - box.left);
      line.setAttribute("y2", b.top + b.height / 2 - box.top);
      line.setAttribute("stroke", css(colour(w)));
      line.setAttribute("stroke-width", Math.min(8, 0.5 + Math.abs(w) * 2).toFixed(2));
      line.setAttribute("data-testid", `link-${l}-${i}-${j}`);
      const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      title.textContent = `weight ${w.toFixed(4)}`;
      line.appendChild(title);
      svg.appendChild(line);
    }));
  }
}

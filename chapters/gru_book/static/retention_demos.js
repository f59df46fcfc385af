// Live demos of the retention chapter: a one-unit GRU and its SVG figures, in plain JavaScript.
//
// One drawing code for two front ends:
// - on the website, each <div data-gru-demo="NAME"> (written by gru_book.demos.static_html) is
//   mounted when this module loads; the demo computes with the model below, in the reader's browser;
// - in Jupyter, the same module is an anywidget (gru_book.demos.show): a control change sends the
//   parameters to the kernel, gru_lib computes, and the arrays it sends back are drawn here.
// The model follows gru_lib.cell._step for one unit and one input, operation by operation:
// σ(a) = 1/(1 + e^(−a)) and 1 − σ(a) = 1/(1 + e^a), each by its own formula, never as a difference.
// No network request, no framework, no build step.

const SVGNS = "http://www.w3.org/2000/svg";
export const STYLES = {
  keep: { color: "#0072B2", dash: "", marker: "circle", words: "solid blue" },
  admit: { color: "#D55E00", dash: "7 4", marker: "square", words: "dashed orange" },
};
const NEUTRAL = "#555555";

// ------------------------------------------------------------------ the model (gru_lib, one unit)
export function sigmoidPair(a) {
  return [1 / (1 + Math.exp(-a)), 1 / (1 + Math.exp(a))];
}

/** One GRU step for one unit, one input: gru_lib.cell._step. Returns {h, z, r, hTilde}. */
export function step(p, x, h, update, reset) {
  const [z, oneMinusZ] = sigmoidPair(x * p.W_z + h * p.U_z + p.b_z);
  const r = sigmoidPair(x * p.W_r + h * p.U_r + p.b_r)[0];
  const hTilde = reset === "before"
    ? Math.tanh(x * p.W_h + (r * h) * p.U_h + p.b_h)
    : Math.tanh(x * p.W_h + p.b_h + r * (h * p.U_h));
  const [kept, written] = update === "keep" ? [z, oneMinusZ] : [oneMinusZ, z];
  return { h: kept * h + written * hTilde, z, r, hTilde };
}

/** gru_lib.run for one unit: xs is an array of inputs; h[t] is the state after step t + 1. */
export function run(p, xs, h0, update, reset) {
  checkChoice("update", update, ["keep", "admit"]);
  checkChoice("reset", reset, ["before", "after"]);
  const out = { h: [], z: [], r: [], hTilde: [] };
  let h = h0;
  for (const x of xs) {
    const s = step(p, x, h, update, reset);
    h = s.h;
    out.h.push(s.h); out.z.push(s.z); out.r.push(s.r); out.hTilde.push(s.hTilde);
  }
  return out;
}

/** gru_book.retention.pulse_params: update gate σ(w_z x + b_z), candidate tanh(w_h x). */
export function pulseParams(bZ, wZ, wH = 3) {
  return { W_z: wZ, U_z: 0, b_z: bZ, W_r: 0, U_r: 0, b_r: 0, W_h: wH, U_h: 0, b_h: 0 };
}

/** gru_lib.convert: φ(θ) negates the update gate's weights and bias. */
export function convert(p) {
  return { ...p, W_z: -p.W_z, U_z: -p.U_z, b_z: -p.b_z };
}

const other = (update) => (update === "keep" ? "admit" : "keep");

export function halfLife(k) {
  if (!(k >= 0 && k <= 1)) throw new RangeError(`kept share must lie in [0, 1]; got ${k}`);
  if (k === 1) return Infinity;
  if (k === 0) return 0;
  // gru_book.retention.half_life: log1p(k − 1) for k ≥ ½ (k − 1 exact there), log(k) below
  return Math.log(0.5) / (k >= 0.5 ? Math.log1p(k - 1) : Math.log(k));
}

const softplus = (a) => Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));

export function halfLifeFromLogit(a) {
  const sp = softplus(-a);
  return sp > 0 ? Math.log(2) / sp : Infinity;
}

export function memorySteps(h, at, fraction = 0.5) {
  const peak = Math.abs(h[at]);
  if (peak === 0) return 0;
  let n = 0;
  for (let t = at + 1; t < h.length && Math.abs(h[t]) >= fraction * peak; t++) n++;
  return n;
}

export function constantGateTrajectory(z, c, h0, steps, update) {
  const oneMinusZ = 1 - z;
  const [kept, written] = update === "keep" ? [z, oneMinusZ] : [oneMinusZ, z];
  const out = [h0];
  let h = h0;
  for (let t = 1; t <= steps; t++) { h = kept * h + written * c; out.push(h); }
  return out;
}

function checkChoice(name, value, options) {
  if (!options.includes(value)) throw new RangeError(`${name} must be one of ${options.join(", ")}; got ${value}`);
}
function checkNumber(name, value, lo = -Infinity, hi = Infinity) {
  if (typeof value !== "number" || !Number.isFinite(value) || value < lo || value > hi) {
    throw new RangeError(`${name} must be a finite number in [${lo}, ${hi}]; got ${value}`);
  }
  return value;
}

function pulseInputs(steps, at, noise, data) {
  if (noise) {
    const xs = data && data.noisy_inputs;
    if (!xs || xs.length !== steps) throw new RangeError(`noise needs ${steps} noisy inputs in the page's data`);
    return xs.slice();
  }
  const xs = new Array(steps).fill(0);
  xs[at] = 1;
  return xs;
}

const maxAbsDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** z on the half-life dial's slider: position 0 … DIAL_POSITIONS maps to z = 0.5 … 0.9999, evenly in log(1 − z). */
export const DIAL_POSITIONS = 400;
export const dialZ = (pos) => 1 - 0.5 * Math.pow(0.0002, pos / DIAL_POSITIONS);
const dialPos = (z) => Math.round(DIAL_POSITIONS * Math.log(2 * (1 - z)) / Math.log(0.0002));
export const DIAL_GRID = 200;
export const DIAL_MARKS = [0.5, 0.9, 0.99, 0.999, 0.9999];

/** Each demo's computation from its parameters, the same as gru_book.demos.compute. */
export const MODELS = {
  constant_gate({ z, candidate, h0 = 1, steps = 20 }) {
    checkNumber("z", z, 0, 1); checkNumber("candidate", candidate, -1, 1);
    return {
      keep: constantGateTrajectory(z, candidate, h0, steps, "keep"),
      admit: constantGateTrajectory(z, candidate, h0, steps, "admit"),
      half_life_keep: halfLife(z),
      half_life_admit: halfLife(1 - z),
    };
  },
  gate_from_weights({ b_z, w_z, update, noise = false, steps = 30, at = 2 }, data) {
    checkNumber("b_z", b_z); checkNumber("w_z", w_z); checkChoice("update", update, ["keep", "admit"]);
    const xs = pulseInputs(steps, at, noise, data);
    const main = run(pulseParams(b_z, w_z), xs, 0, update, "before");
    const twin = run(pulseParams(-b_z, -w_z), xs, 0, other(update), "before");
    const logit = update === "keep" ? b_z : -b_z; // kept share σ(±b_z) once the input is 0
    return {
      h: main.h, h_twin: twin.h, z: main.z, z_twin: twin.z,
      kept: sigmoidPair(logit)[0], half_life: halfLifeFromLogit(logit),
      memory_steps: memorySteps(main.h, at), max_diff: maxAbsDiff(main.h, twin.h),
    };
  },
  two_conventions({ b_z, w_z, converted, steps = 30, at = 2 }) {
    checkNumber("b_z", b_z); checkNumber("w_z", w_z);
    if (typeof converted !== "boolean") throw new TypeError(`converted must be a boolean; got ${converted}`);
    const theta = pulseParams(b_z, w_z);
    const xs = pulseInputs(steps, at, false);
    const keep = run(theta, xs, 0, "keep", "before");
    const admit = run(converted ? convert(theta) : theta, xs, 0, "admit", "before");
    return {
      keep: keep.h, admit: admit.h, max_diff: maxAbsDiff(keep.h, admit.h),
      memory_steps_keep: memorySteps(keep.h, at), memory_steps_admit: memorySteps(admit.h, at),
    };
  },
  half_life_dial({ z }) {
    checkNumber("z", z, 0, 1);
    const grid = Array.from({ length: DIAL_GRID + 1 }, (_, i) => 1 - 0.5 * Math.pow(0.0002, i / DIAL_GRID));
    const zNext = 1 - (1 - z) / 10;
    const keep = halfLife(z);
    return {
      half_life_keep: keep, half_life_admit: halfLife(1 - z),
      z_next: zNext, half_life_keep_next: halfLife(zNext),
      grid, keep_curve: grid.map((g) => halfLife(g)), admit_curve: grid.map((g) => halfLife(1 - g)),
      marks: DIAL_MARKS, keep_marks: DIAL_MARKS.map((g) => halfLife(g)),
      admit_marks: DIAL_MARKS.map((g) => halfLife(1 - g)),
    };
  },
};

// ------------------------------------------------------------------ formatting
export function formatSteps(t) {
  if (t === Infinity) return "∞";
  return t >= 1e4 ? t.toPrecision(2).replace("e+", "e") : t.toFixed(2);
}
const signed = (v, d = 2) => (v >= 0 ? "+" : "−") + Math.abs(v).toFixed(d);
const zText = (z) => (z < 0.999 ? z.toFixed(z < 0.99 ? 3 : 4) : z.toFixed(5)).replace(/(\.\d*?[1-9])0+$|\.0+$/, "$1");

// ------------------------------------------------------------------ SVG drawing
function el(tag, attrs = {}, parent = null, ns = SVGNS) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}
const html = (tag, attrs, parent) => el(tag, attrs, parent, null);
const f1 = (v) => String(Math.round(v * 10) / 10);

// A slider move writes to the DOM only what changed, in place: a text node's data (never a new
// node, which would need a new layout object and a style recalculation) and an attribute's value.
function setText(node, text) {
  const t = node.firstChild;
  if (t && t.nodeType === 3 && !t.nextSibling) {
    if (t.data !== text) t.data = text;
  } else {
    node.textContent = text;
  }
}
function setAttr(node, name, value) {
  const key = `gd:${name}`;
  if (node[key] === value) return;
  node[key] = value;
  node.setAttribute(name, value);
}

/** One axes box: scales, static ticks and labels; series are two <path>s (line, markers) each. */
class Panel {
  constructor(svg, { x, y, w, h, xlim, ylim, ylog = false, xticks, yticks, xlabel, ylabel, clipId }) {
    Object.assign(this, { x0: x, y0: y, w, h, xlim, ylim, ylog });
    const g = el("g", { class: "gd-axes" }, svg);
    const clip = el("clipPath", { id: clipId }, g);
    el("rect", { x, y: y - 4, width: w, height: h + 8 }, clip);
    el("rect", { x, y, width: w, height: h, class: "gd-frame" }, g);
    for (const [v, label] of yticks) {
      const yy = f1(this.sy(v));
      el("line", { x1: x, x2: x + w, y1: yy, y2: yy, class: "gd-grid" }, g);
      el("text", { x: x - 6, y: yy, class: "gd-tick", "text-anchor": "end", "dominant-baseline": "middle" }, g)
        .textContent = label;
    }
    for (const [v, label] of xticks) {
      const xx = f1(this.sx(v));
      el("line", { x1: xx, x2: xx, y1: y + h, y2: y + h + 4, class: "gd-tickmark" }, g);
      if (label) el("text", { x: xx, y: y + h + 17, class: "gd-tick", "text-anchor": "middle" }, g).textContent = label;
    }
    if (xlabel) el("text", { x: x + w / 2, y: y + h + 35, class: "gd-label", "text-anchor": "middle" }, g).textContent = xlabel;
    if (ylabel) {
      el("text", { x: 0, y: 0, class: "gd-label", "text-anchor": "middle",
        transform: `translate(${x - 40} ${y + h / 2}) rotate(-90)` }, g).textContent = ylabel;
    }
    this.data = el("g", { "clip-path": `url(#${clipId})` }, g);
  }
  sx(v) { return this.x0 + ((v - this.xlim[0]) / (this.xlim[1] - this.xlim[0])) * this.w; }
  sy(v) {
    const [lo, hi] = this.ylog ? this.ylim.map(Math.log10) : this.ylim;
    const vv = this.ylog ? Math.log10(v) : v;
    return this.y0 + this.h - ((vv - lo) / (hi - lo)) * this.h;
  }
  /** A series: a line path and a marker path, styled like a convention (or neutral). */
  series({ style, line = true, marker = true, hollow = false, width = 2, r = 3.2 }) {
    const s = { panel: this, r, line: null, marks: null, hollow, width };
    if (line) s.line = el("path", { class: "gd-line", fill: "none" }, this.data);
    if (marker) s.marks = el("path", { class: "gd-marks" }, this.data);
    setStyle(s, style);
    return s;
  }
  vline(cls) { return el("line", { class: cls, y1: this.y0, y2: this.y0 + this.h }, this.data); }
}

function setStyle(s, style) {
  const st = STYLES[style] || { color: NEUTRAL, dash: "2 3", marker: "circle" };
  s.style = st;
  if (s.line) {
    s.line.setAttribute("stroke", st.color);
    s.line.setAttribute("stroke-width", s.width);
    if (st.dash) s.line.setAttribute("stroke-dasharray", st.dash); else s.line.removeAttribute("stroke-dasharray");
  }
  if (s.marks) {
    s.marks.setAttribute("stroke", st.color);
    s.marks.setAttribute("fill", s.hollow ? "#ffffff" : st.color);
    s.marks.setAttribute("stroke-width", s.hollow ? 1.4 : 0.8);
  }
}

function setData(s, xs, ys) {
  const p = s.panel;
  let d = "", m = "", pen = "M";
  const r = s.r, square = s.style.marker === "square";
  const tail = square ? `h${f1(2 * r)}v${f1(2 * r)}h${f1(-2 * r)}Z`
    : `a${r} ${r} 0 1 0 ${f1(2 * r)} 0a${r} ${r} 0 1 0 ${f1(-2 * r)} 0Z`;
  for (let i = 0; i < xs.length; i++) {
    const v = ys[i];
    if (!Number.isFinite(v) || (p.ylog && v <= 0)) { pen = "M"; continue; }
    const X = p.sx(xs[i]), Y = Math.max(-1e4, Math.min(1e4, p.sy(v)));
    d += pen + f1(X) + " " + f1(Y);
    pen = "L";
    if (s.marks) m += "M" + f1(X - r) + " " + f1(square ? Y - r : Y) + tail;
  }
  if (s.line) setAttr(s.line, "d", d || "M0 0");
  if (s.marks) setAttr(s.marks, "d", m || "M0 0");
}

const range = (n, start = 0) => Array.from({ length: n }, (_, i) => i + start);
const hTicks = [[-1, "−1"], [-0.5, "−0.5"], [0, "0"], [0.5, "0.5"], [1, "1"]];
const stepTicks = (n, every) => range(Math.floor(n / every) + 1).map((i) => [i * every, String(i * every)]);

function legendItem(parent, style, text, { line = true, marker = true, hollow = false } = {}) {
  const li = html("li", {}, parent);
  const sw = el("svg", { viewBox: "0 0 34 12", width: "34", height: "12", "aria-hidden": "true", class: "gd-swatch" }, li);
  const s = { line: line ? el("path", { d: "M1 6H33", fill: "none" }, sw) : null,
    marks: marker ? el("path", {}, sw) : null, hollow, width: 2 };
  const r = 3.2;
  const restyle = (st) => {
    setStyle(s, st);
    if (s.marks) s.marks.setAttribute("d", s.style.marker === "square"
      ? `M${17 - r} ${6 - r}h${2 * r}v${2 * r}h${-2 * r}Z` : `M${17 - r} 6a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`);
  };
  restyle(style);
  const span = html("span", {}, li);
  span.textContent = text;
  return { li, span, restyle };
}

// ------------------------------------------------------------------ the four demos
// Each: title, controls, readouts (label, text from params and result), figure(svg, W) → {draw(result, params)}.
const DEMOS = {
  constant_gate: {
    title: "Constant gate: how long is h₀ remembered?",
    defaults: { z: 0.8, candidate: -0.5 },
    controls: [
      { key: "z", type: "range", label: "update gate z", min: 0, max: 1, step: 0.01, fmt: (v) => v.toFixed(2) },
      { key: "candidate", type: "range", label: "candidate h̃", min: -1, max: 1, step: 0.05, fmt: (v) => signed(v) },
    ],
    legend: [["keep", "keep: z·h + (1−z)·h̃"], ["admit", "admit: (1−z)·h + z·h̃", { hollow: true }], ["neutral", "candidate h̃", { marker: false }]],
    readouts: [
      ["z", (p) => p.z.toFixed(2)],
      ["t½ keep", (p, r) => `${formatSteps(r.half_life_keep)} steps`],
      ["t½ admit", (p, r) => `${formatSteps(r.half_life_admit)} steps`],
    ],
    figure(svg, W, id) {
      const H = 230;
      const ax = new Panel(svg, { x: 52, y: 10, w: W - 64, h: H - 58, xlim: [-0.5, 20.5], ylim: [-1.1, 1.1],
        xticks: stepTicks(20, W < 480 ? 5 : 2), yticks: hTicks, xlabel: "step t", ylabel: "state hₜ", clipId: `${id}-c0` });
      const cand = ax.series({ style: "neutral", marker: false, width: 1.3 });
      const keep = ax.series({ style: "keep" });
      const admit = ax.series({ style: "admit", hollow: true });
      const t = range(21);
      return { height: H, draw(r, p) { setData(cand, [-1, 21], [p.candidate, p.candidate]); setData(keep, t, r.keep); setData(admit, t, r.admit); } };
    },
  },
  gate_from_weights: {
    title: "Gate from weights: zₜ = σ(w_z·xₜ + b_z)",
    defaults: { b_z: 2, w_z: -4, update: "keep", noise: false },
    controls: [
      { key: "b_z", type: "range", label: "bias b_z", min: -10, max: 10, step: 0.1, fmt: (v) => signed(v) },
      { key: "w_z", type: "range", label: "input weight w_z", min: -8, max: 8, step: 0.1, fmt: (v) => signed(v) },
      { key: "update", type: "radio", label: "convention", options: ["keep", "admit"] },
      { key: "noise", type: "checkbox", label: "noise on the input" },
    ],
    legend: [["keep", "chosen convention, b_z, w_z", { line: true }], ["admit", "twin: the other one with −b_z, −w_z", { line: false, hollow: true }]],
    readouts: [
      ["b_z", (p) => signed(p.b_z)],
      ["kept share k", (p, r) => r.kept.toFixed(3)],
      ["t½", (p, r) => `${formatSteps(r.half_life)} steps`],
      ["above half for", (p, r) => `${r.memory_steps} steps`],
      ["max |Δh| twin", (p, r) => r.max_diff.toPrecision(2).replace(/\.?0+$/, "")],
    ],
    figure(svg, W, id, ui) {
      const H = 290, x = 52, w = W - 64;
      const xt = stepTicks(29, W < 480 ? 10 : 5);
      const axH = new Panel(svg, { x, y: 10, w, h: 130, xlim: [-0.5, 29.5], ylim: [-1.1, 1.1],
        xticks: xt.map(([v]) => [v, ""]), yticks: hTicks, ylabel: "hₜ", clipId: `${id}-c0` });
      const axZ = new Panel(svg, { x, y: 152, w, h: 90, xlim: [-0.5, 29.5], ylim: [-0.05, 1.05],
        xticks: xt, yticks: [[0, "0"], [0.5, "0.5"], [1, "1"]], ylabel: "zₜ", xlabel: "step t (input pulse at t = 2)", clipId: `${id}-c1` });
      for (const ax of [axH, axZ]) {
        const b = ax.vline("gd-pulse"); b.setAttribute("x1", f1(ax.sx(2))); b.setAttribute("x2", f1(ax.sx(2)));
      }
      const h = axH.series({ style: "keep", marker: false, width: 2.2 });
      const hT = axH.series({ style: "admit", line: false, hollow: true, r: 3.4 });
      const z = axZ.series({ style: "keep", marker: false, width: 2.2 });
      const zT = axZ.series({ style: "admit", line: false, hollow: true, r: 3.4 });
      const t = range(30);
      return { height: H, draw(r, p) {
        const o = other(p.update);
        if (h.style !== STYLES[p.update]) {
          for (const s of [h, z]) setStyle(s, p.update);
          for (const s of [hT, zT]) setStyle(s, o);
          ui.legend[0].restyle(p.update); ui.legend[1].restyle(o);
        }
        setText(ui.legend[0].span, `${p.update}, with b_z and w_z`);
        setText(ui.legend[1].span, `twin: ${o}, with −b_z and −w_z`);
        setData(h, t, r.h); setData(hT, t, r.h_twin); setData(z, t, r.z); setData(zT, t, r.z_twin);
      } };
    },
  },
  two_conventions: {
    title: "Same weights, two conventions",
    defaults: { b_z: 1.5, w_z: -4, converted: false },
    controls: [
      { key: "b_z", type: "range", label: "bias b_z", min: -10, max: 10, step: 0.1, fmt: (v) => signed(v) },
      { key: "w_z", type: "range", label: "input weight w_z", min: -8, max: 8, step: 0.1, fmt: (v) => signed(v) },
      { key: "converted", type: "checkbox", label: "apply the conversion φ to admit's weights" },
    ],
    legend: [["keep", "keep, weights θ"], ["admit", "admit, weights θ", { hollow: true }]],
    readouts: [
      ["b_z", (p) => signed(p.b_z)],
      ["admit's weights", (p) => (p.converted ? "φ(θ)" : "θ")],
      ["above half: keep", (p, r) => `${r.memory_steps_keep} steps`],
      ["above half: admit", (p, r) => `${r.memory_steps_admit} steps`],
      ["max |Δh|", (p, r) => r.max_diff.toPrecision(2).replace(/\.?0+$/, "")],
    ],
    figure(svg, W, id, ui) {
      const H = 230;
      const ax = new Panel(svg, { x: 52, y: 10, w: W - 64, h: H - 58, xlim: [-0.5, 29.5], ylim: [-1.1, 1.1],
        xticks: stepTicks(29, W < 480 ? 10 : 5), yticks: hTicks, xlabel: "step t (input pulse at t = 2)", ylabel: "state hₜ", clipId: `${id}-c0` });
      const b = ax.vline("gd-pulse"); b.setAttribute("x1", f1(ax.sx(2))); b.setAttribute("x2", f1(ax.sx(2)));
      const keep = ax.series({ style: "keep", width: 2.6, r: 2.8 });
      const admit = ax.series({ style: "admit", width: 1.4, hollow: true, r: 3.4 });
      const t = range(30);
      return { height: H, draw(r, p) {
        setText(ui.legend[1].span, `admit, weights ${p.converted ? "φ(θ)" : "θ"}`);
        setData(keep, t, r.keep); setData(admit, t, r.admit);
      } };
    },
  },
  half_life_dial: {
    title: "The half-life dial: each extra 9 in z multiplies the keep memory by ten",
    defaults: { z: 0.9 },
    controls: [
      { key: "z", type: "dial", label: "update gate z", fmt: zText },
    ],
    legend: [["keep", "keep: t½ = ln ½ / ln z"], ["admit", "admit: t½ = ln ½ / ln (1 − z)", { hollow: true }]],
    readouts: [
      ["z", (p) => zText(p.z)],
      ["t½ keep", (p, r) => `${formatSteps(r.half_life_keep)} steps`],
      ["t½ admit", (p, r) => `${formatSteps(r.half_life_admit)} steps`],
      ["one more 9", (p, r) => `z = ${zText(r.z_next)}: t½ keep ${formatSteps(r.half_life_keep_next)} steps (×${(r.half_life_keep_next / r.half_life_keep).toFixed(1)})`, "gd-wide"],
    ],
    figure(svg, W, id) {
      const H = 260;
      const nines = (z) => -Math.log10(1 - z);
      const ax = new Panel(svg, { x: 58, y: 10, w: W - 76, h: H - 58, xlim: [nines(0.5) - 0.08, 4.08], ylim: [0.04, 2e4], ylog: true,
        xticks: DIAL_MARKS.map((z) => [nines(z), String(z)]),
        yticks: [[0.1, "0.1"], [1, "1"], [10, "10"], [100, "10²"], [1000, "10³"], [1e4, "10⁴"]],
        xlabel: "update gate z (log scale in 1 − z)", ylabel: "half-life t½ (steps)", clipId: `${id}-c0` });
      const now = ax.vline("gd-now");
      const keep = ax.series({ style: "keep", marker: false });
      const admit = ax.series({ style: "admit", marker: false });
      const keepM = ax.series({ style: "keep", line: false, r: 3.6 });
      const admitM = ax.series({ style: "admit", line: false, hollow: true, r: 3.6 });
      const dotK = ax.series({ style: "keep", line: false, r: 6 });
      const dotA = ax.series({ style: "admit", line: false, r: 6 });
      return { height: H, draw(r, p) {
        const X = f1(ax.sx(nines(p.z)));
        setAttr(now, "x1", X); setAttr(now, "x2", X);
        setData(keep, r.grid.map(nines), r.keep_curve); setData(admit, r.grid.map(nines), r.admit_curve);
        setData(keepM, r.marks.map(nines), r.keep_marks); setData(admitM, r.marks.map(nines), r.admit_marks);
        setData(dotK, [nines(p.z)], [r.half_life_keep]); setData(dotA, [nines(p.z)], [r.half_life_admit]);
      } };
    },
  },
};
export const DEMO_NAMES = Object.keys(DEMOS);

// ------------------------------------------------------------------ the widget: controls, figure, read-out
let counter = 0;

class Demo {
  /** root: the element to fill; name; params: initial values; compute(params) → result, or null when
   *  the results come from outside (Jupyter: onChange sends the parameters, setResult draws);
   *  start: false to build the controls only, and draw later with start(width). */
  constructor(root, name, params, { compute = null, onChange = null, start = true } = {}) {
    const spec = DEMOS[name];
    if (!spec) throw new RangeError(`unknown demo ${name}; one of ${DEMO_NAMES.join(", ")}`);
    Object.assign(this, { root, name, spec, compute, onChange, id: `gd${++counter}` });
    this.params = { ...spec.defaults, ...params };
    this.result = null;
    root.textContent = "";
    root.classList.add("gd-demo");
    html("p", { class: "gd-title" }, root).textContent = spec.title;
    const form = html("div", { class: "gd-controls" }, root);
    this.inputs = {};
    for (const c of spec.controls) this.addControl(form, c);
    this.legendBox = html("ul", { class: "gd-legend" }, root);
    this.ui = { legend: spec.legend.map(([st, text, opts]) => legendItem(this.legendBox, st, text, opts)) };
    this.figBox = html("div", { class: "gd-figure" }, root);
    const out = html("dl", { class: "gd-readout", "aria-live": "polite", "aria-atomic": "true" }, root);
    this.readouts = spec.readouts.map(([label, fn, cls]) => {
      const row = html("div", cls ? { class: cls } : {}, out);
      html("dt", {}, row).textContent = label;
      return { dd: html("dd", {}, row), fn };
    });
    this.width = 0;
    if (start) this.start();
  }

  /** Draw the figure `width` px wide (default: its box's width, which makes the browser lay out the
   *  page if it has changed since the last layout) and redraw it whenever its box changes size.
   *  Width 0 (a figure in a section the browser has not drawn yet): the figure is drawn when its
   *  box first gets a width, i.e. when the reader comes near; controls and read-outs are there at once. */
  start(width = this.figBox.clientWidth) {
    const observe = typeof ResizeObserver !== "undefined";
    if (width > 0 || !observe) this.layout(width);
    else this.placeholder();
    if (observe) {
      // the observed size, not clientWidth: reading that would lay out an undrawn section on the spot
      this.observer = new ResizeObserver((entries) => {
        const w = entries[entries.length - 1].contentRect.width;
        if (w > 0) this.layout(w);
      });
      this.observer.observe(this.figBox);
    }
    if (this.compute) this.recompute();
  }

  /** The figure's place before it is drawn: an empty image with its name, for screen readers. */
  placeholder() {
    this.figBox.textContent = "";
    el("svg", { class: "gd-svg", role: "img", "aria-label": this.spec.title }, this.figBox);
  }

  addControl(form, c) {
    const id = `${this.id}-${c.key}`;
    const box = html("div", { class: `gd-control gd-${c.type}` }, form);
    if (c.type === "range" || c.type === "dial") {
      const label = html("label", { for: id }, box);
      const name = html("span", {}, label); name.textContent = `${c.label} = `;
      const value = html("span", { class: "gd-value" }, label);
      const attrs = c.type === "dial"
        ? { min: 0, max: DIAL_POSITIONS, step: 1, value: dialPos(this.params.z) }
        : { min: c.min, max: c.max, step: c.step, value: this.params[c.key] };
      const input = html("input", { type: "range", id, ...attrs }, box);
      const read = () => (c.type === "dial" ? dialZ(Number(input.value)) : Number(input.value));
      const show = (v) => {
        const text = c.fmt(v);
        setText(value, text);
        setAttr(input, "aria-valuetext", `${c.label} = ${text}`);
      };
      show(this.params[c.key]);
      input.addEventListener("input", () => { const v = read(); show(v); this.set(c.key, v); });
      this.inputs[c.key] = input;
    } else if (c.type === "radio") {
      const fs = html("fieldset", {}, box);
      html("legend", {}, fs).textContent = c.label;
      for (const opt of c.options) {
        const lab = html("label", {}, fs);
        const input = html("input", { type: "radio", name: id, value: opt }, lab);
        input.checked = this.params[c.key] === opt;
        lab.append(` ${opt}`);
        input.addEventListener("change", () => { if (input.checked) this.set(c.key, opt); });
        this.inputs[`${c.key}:${opt}`] = input;
      }
    } else {
      const lab = html("label", {}, box);
      const input = html("input", { type: "checkbox", id }, lab);
      input.checked = Boolean(this.params[c.key]);
      lab.append(` ${c.label}`);
      input.addEventListener("change", () => this.set(c.key, input.checked));
      this.inputs[c.key] = input;
    }
  }

  layout(width = this.figBox.clientWidth) {
    const W = Math.max(300, Math.min(760, Math.round(width || 640)));
    if (W === this.width) return;
    this.width = W;
    this.figBox.textContent = "";
    const svg = el("svg", { class: "gd-svg", role: "img", "aria-label": this.spec.title }, this.figBox);
    this.fig = this.spec.figure(svg, W, this.id, this.ui);
    svg.setAttribute("viewBox", `0 0 ${W} ${this.fig.height}`);
    // the box's size does not depend on its content (CSS contain: strict): a redraw lays out the SVG alone
    this.figBox.style.aspectRatio = `${W} / ${this.fig.height}`;
    if (this.result) this.fig.draw(this.result, this.params);
  }

  set(key, value) {
    this.params = { ...this.params, [key]: value };
    if (this.compute) this.recompute();
    else if (this.onChange) this.onChange(this.params);
  }

  recompute() { this.setResult(this.compute(this.params)); }

  setResult(result) {
    this.result = result;
    if (this.fig) this.fig.draw(result, this.params);
    for (const r of this.readouts) setText(r.dd, r.fn(this.params, result));
  }

  destroy() { if (this.observer) this.observer.disconnect(); this.root.textContent = ""; }
}

// ------------------------------------------------------------------ website: compute in the browser
const pageData = {};

/** The demo `name`'s computation for `params` (with the page's data, e.g. the noisy inputs): for tests. */
export function model(name, params, data = pageData[name]) {
  if (!MODELS[name]) throw new RangeError(`unknown demo ${name}; one of ${DEMO_NAMES.join(", ")}`);
  return MODELS[name](params, data);
}

function build(root) {
  const name = root.dataset.gruDemo;
  const params = JSON.parse(root.dataset.params || "{}");
  const data = JSON.parse(root.dataset.inputs || "{}");
  pageData[name] = data;
  return new Demo(root, name, params, { compute: (p) => MODELS[name](p, data), start: false });
}

/** Fill `root` (an element with data-gru-demo) with its demo, drawn at once. */
export function mount(root) {
  const demo = build(root);
  demo.start();
  root.dataset.gruDemoReady = "1";
  return demo;
}

// Is `node` drawn? false inside a section the page draws only near the screen (content-visibility:
// auto) that is not drawn yet; asking needs no layout.
const isDrawn = (node) =>
  typeof node.checkVisibility !== "function" || node.checkVisibility({ contentVisibilityAuto: true });

/** Every demo of the page, with one layout for all: the controls of all are built first, then the
 *  widths of the drawn figures are read together, then each is drawn. A figure in a section not
 *  drawn yet is drawn when that section is (its ResizeObserver sees its width then): measuring it
 *  now would make the browser lay its section out on the spot. */
function mountAll(roots) {
  const demos = [];
  for (const root of roots) {
    try { demos.push(build(root)); } catch (err) { root.dataset.gruDemoError = String(err); throw err; }
  }
  const widths = demos.map((d) => (isDrawn(d.figBox) ? d.figBox.clientWidth : 0));
  demos.forEach((d, i) => {
    try { d.start(widths[i]); } catch (err) { d.root.dataset.gruDemoError = String(err); throw err; }
    d.root.dataset.gruDemoReady = "1";
  });
  return demos;
}

const instances = [];
if (typeof document !== "undefined") {
  instances.push(...mountAll(document.querySelectorAll("[data-gru-demo]")));
  window.gruDemos = { model, mount, instances, DEMO_NAMES };
}

// ------------------------------------------------------------------ Jupyter: an anywidget drawing gru_lib's arrays
const fromWire = (v) => (v === null ? Infinity : Array.isArray(v) ? v.map(fromWire) : v);

function render({ model: m, el: root }) {
  const name = m.get("name");
  // JupyterLab's shortcuts and notebook key handling would take the arrow keys meant for the sliders
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  const keep = (ev) => ev.stopPropagation();
  root.addEventListener("keydown", keep);
  const demo = new Demo(root, name, m.get("params"), {
    onChange(params) { m.set("params", params); m.save_changes(); },
  });
  const draw = () => {
    const data = m.get("data");
    const result = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, fromWire(v)]));
    if (Object.keys(result).length) demo.setResult(result);
  };
  m.on("change:data", draw);
  draw();
  return () => { m.off("change:data", draw); root.removeEventListener("keydown", keep); demo.destroy(); };
}

export default { render };

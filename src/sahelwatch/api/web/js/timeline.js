// The timeline: stacked bars of events per week or month (by event type) and a line of
// fatalities. Dragging across it selects a period, which filters the map.
import { TYPE_COLORS, OTHER_COLOR } from "./colors.js";

const NS = "http://www.w3.org/2000/svg";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY = 86400000;

function s(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const iso = (t) => new Date(t).toISOString().slice(0, 10);
const parse = (d) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));

/** Start (ms, UTC) of the week (Monday) or month holding ISO date d. */
export function binStart(d, period) {
  if (period === "month") return Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, 1);
  const t = parse(d);
  const weekday = (new Date(t).getUTCDay() + 6) % 7;
  return t - weekday * DAY;
}

function nextBin(t, period) {
  if (period === "month") {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return t + 7 * DAY;
}

/** Bins from the first to the last event: [{start, end, events, fatalities, byType}]. */
export function binEvents(events, period) {
  let lo = Infinity;
  let hi = -Infinity;
  const by = new Map();
  for (const ev of events) {
    if (!ev.date || ev.date.length < 10) continue;
    const b = binStart(ev.date, period);
    lo = Math.min(lo, b);
    hi = Math.max(hi, b);
    let bin = by.get(b);
    if (!bin) { bin = { events: 0, fatalities: 0, byType: {} }; by.set(b, bin); }
    bin.events += 1;
    bin.fatalities += ev.fatalities || 0;
    bin.byType[ev.type] = (bin.byType[ev.type] || 0) + 1;
  }
  const bins = [];
  if (lo === Infinity) return bins;
  for (let t = lo; t <= hi; t = nextBin(t, period)) {
    const bin = by.get(t) || { events: 0, fatalities: 0, byType: {} };
    bins.push({ start: t, end: nextBin(t, period) - DAY, ...bin });
  }
  return bins;
}

/** A round axis maximum with four whole-number steps (38 -> 40, 45 -> 60, 1,460 -> 1,600). */
function niceMax(v) {
  const quarter = Math.max(1, v / 4);
  const p = 10 ** Math.floor(Math.log10(quarter));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const step = m * p;
    if (step >= quarter && Number.isInteger(step)) return 4 * step;
  }
  return 40 * p;
}

function label(t, period, withYear) {
  const d = new Date(t);
  const m = MONTHS[d.getUTCMonth()];
  if (period === "week" && !withYear) return `${d.getUTCDate()} ${m}`;
  return withYear ? `${m} ${d.getUTCFullYear()}` : m;
}

export function createTimeline(svg, { onBrush, onClear }) {
  let bins = [];
  let period = "month";
  let selection = null; // [sinceISO, untilISO]
  let geometry = null;

  function draw() {
    svg.replaceChildren();
    const width = svg.clientWidth || 800;
    const height = svg.clientHeight || 150;
    const m = { l: 40, r: 46, t: 8, b: 20 };
    const w = Math.max(10, width - m.l - m.r);
    const hgt = Math.max(10, height - m.t - m.b);
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    if (!bins.length) {
      svg.appendChild(s("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "axis", fill: "#66717e" },
        "No dated events match the filters."));
      geometry = null;
      return;
    }
    const maxEvents = niceMax(Math.max(...bins.map((b) => b.events)));
    const maxFat = niceMax(Math.max(1, ...bins.map((b) => b.fatalities)));
    const bw = w / bins.length;
    const y = (v) => m.t + hgt - (v / maxEvents) * hgt;
    const yf = (v) => m.t + hgt - (v / maxFat) * hgt;
    geometry = { m, w, bw };

    const axis = s("g", { class: "axis" });
    for (let i = 0; i <= 4; i++) {
      const v = (maxEvents * i) / 4;
      axis.appendChild(s("line", { x1: m.l, x2: m.l + w, y1: y(v), y2: y(v), class: "grid" }));
      axis.appendChild(s("text", { x: m.l - 6, y: y(v) + 3.5, "text-anchor": "end" }, Math.round(v).toLocaleString("en-US")));
      axis.appendChild(s("text", { x: m.l + w + 6, y: yf((maxFat * i) / 4) + 3.5, fill: "#c4452a" },
        Math.round((maxFat * i) / 4).toLocaleString("en-US")));
    }
    svg.appendChild(axis);

    const bars = s("g", { class: "bars" });
    const types = [...Object.keys(TYPE_COLORS), ""];
    const gap = bw > 4 ? Math.min(2, bw * 0.18) : 0;
    bins.forEach((b, i) => {
      let acc = 0;
      const barW = Math.min(Math.max(0.6, bw - gap), 44);
      const x = m.l + i * bw + (bw - barW) / 2;
      const seen = new Set();
      const stack = types.flatMap((t) => {
        if (t) { seen.add(t); return b.byType[t] ? [[t, b.byType[t]]] : []; }
        const other = Object.entries(b.byType).filter(([k]) => !seen.has(k)).reduce((a, [, n]) => a + n, 0);
        return other ? [["", other]] : [];
      });
      for (const [t, n] of stack) {
        const rect = s("rect", { x, y: y(acc + n), width: barW, height: Math.max(0, y(acc) - y(acc + n)),
          fill: TYPE_COLORS[t] || OTHER_COLOR });
        acc += n;
        bars.appendChild(rect);
      }
      const tip = s("title", {}, `${iso(b.start)} – ${iso(b.end)}: ${b.events} events, ${b.fatalities} fatalities`);
      const hit = s("rect", { x: m.l + i * bw, y: m.t, width: bw, height: hgt, fill: "transparent" });
      hit.appendChild(tip);
      bars.appendChild(hit);
    });
    svg.appendChild(bars);

    const points = bins.map((b, i) => `${(m.l + (i + 0.5) * bw).toFixed(1)},${yf(b.fatalities).toFixed(1)}`);
    svg.appendChild(s("path", { d: `M${points.join("L")}`, class: "fat-line" }));

    // x labels: at most one per ~70 px; years marked at January.
    const step = Math.max(1, Math.ceil(70 / bw));
    const xl = s("g", { class: "axis" });
    let lastYear = null;
    bins.forEach((b, i) => {
      if (i % step) return;
      const year = new Date(b.start).getUTCFullYear();
      xl.appendChild(s("text", { x: m.l + i * bw + 2, y: height - 5 }, label(b.start, period, year !== lastYear)));
      lastYear = year;
    });
    svg.appendChild(xl);

    if (selection) {
      const [a, z] = selection;
      const i0 = bins.findIndex((b) => iso(b.end) >= a);
      let i1 = bins.length - 1;
      while (i1 >= 0 && iso(bins[i1].start) > z) i1--;
      if (i0 >= 0 && i1 >= i0) {
        const x0 = m.l + i0 * bw;
        const x1 = m.l + (i1 + 1) * bw;
        svg.appendChild(s("rect", { x: m.l, y: m.t, width: x0 - m.l, height: hgt, class: "dim" }));
        svg.appendChild(s("rect", { x: x1, y: m.t, width: m.l + w - x1, height: hgt, class: "dim" }));
        svg.appendChild(s("rect", { x: x0, y: m.t, width: x1 - x0, height: hgt, class: "brush" }));
      }
    }
  }

  // Brushing with the pointer.
  let drag = null;
  const indexAt = (clientX) => {
    const box = svg.getBoundingClientRect();
    const x = clientX - box.left - geometry.m.l;
    return Math.max(0, Math.min(bins.length - 1, Math.floor(x / geometry.bw)));
  };
  svg.addEventListener("pointerdown", (e) => {
    if (!geometry || e.button !== 0) return;
    drag = { from: indexAt(e.clientX), to: indexAt(e.clientX) };
    svg.setPointerCapture(e.pointerId);
  });
  svg.addEventListener("pointermove", (e) => {
    if (!drag) return;
    drag.to = indexAt(e.clientX);
    const [i0, i1] = [Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)];
    selection = [iso(bins[i0].start), iso(bins[i1].end)];
    draw();
  });
  let lastClick = 0;
  const clear = () => { selection = null; draw(); onClear(); };
  svg.addEventListener("pointerup", (e) => {
    if (!drag) return;
    drag.to = indexAt(e.clientX);
    // A double click clears the period (counted here: redrawing replaces the clicked element,
    // so the browser's own dblclick does not always fire).
    if (drag.from === drag.to && e.timeStamp - lastClick < 450) {
      drag = null;
      lastClick = 0;
      clear();
      return;
    }
    lastClick = drag.from === drag.to ? e.timeStamp : 0;
    const [i0, i1] = [Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)];
    drag = null;
    selection = [iso(bins[i0].start), iso(bins[i1].end)];
    draw();
    onBrush(selection[0], selection[1]);
  });
  new ResizeObserver(() => draw()).observe(svg);

  return {
    /** Redraw for these events (id, date, type, fatalities), period and selected [since, until] (or null). */
    update(events, newPeriod, newSelection) {
      period = newPeriod || period;
      bins = binEvents(events, period);
      selection = newSelection;
      draw();
    },
    bins: () => bins,
  };
}

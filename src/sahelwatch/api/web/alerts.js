// sahelwatch alerts and trends panels: fills <section id="alerts-panel"> with the early-warning
// alerts and <section id="charts-panel"> with timelines (per area / actor / event type) and the
// actor-interaction table, from GET /api/alerts, /api/trends and /api/interactions.
// Data never goes through innerHTML: every string becomes a text node (textContent).
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const PALETTE = ["#1f77b4", "#e4572e", "#2ca02c", "#9467bd", "#f0a23b", "#17becf", "#8c564b", "#e377c2"];
  const RULE_LABELS = {
    escalation: "Escalation",
    civilian_targeting_rise: "Civilian targeting",
    new_area: "New area",
    new_actor: "New actor",
    state_violence_against_civilians: "State violence on civilians",
  };
  const RULE_COLORS = {
    escalation: "#e4572e",
    civilian_targeting_rise: "#b3261e",
    new_area: "#2b7de9",
    new_actor: "#6f42c1",
    state_violence_against_civilians: "#0f2a3d",
  };
  const BY_LABELS = { admin1: "Region", country: "Country", admin2: "District", actor: "Actor", event_type: "Event type" };
  const METRIC_LABELS = { events: "Events", fatalities: "Fatalities", civilian_fatalities: "Civilian fatalities" };

  const state = { period: "month", rule: "", by: "admin1", metric: "events", country: "" };

  // ----- DOM helpers (text only) -----------------------------------------------------------

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG, tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  function setAttrs(el, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
      else if (key === "class") el.setAttribute("class", value);
      else if (key === "style") Object.assign(el.style, value);
      else el.setAttribute(key, String(value));
    }
  }

  function append(el, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(el, child);
      else if (child instanceof Node) el.appendChild(child);
      else el.appendChild(document.createTextNode(String(child)));
    }
  }

  function select(name, options, value, onchange) {
    return h("select", { name, "aria-label": name, onchange: (e) => onchange(e.target.value) },
      Object.entries(options).map(([v, label]) => {
        const opt = h("option", { value: v }, label);
        if (v === value) opt.selected = true;
        return opt;
      }));
  }

  async function getJSON(path, params) {
    const url = new URL(path, window.location.href);
    for (const [k, v] of Object.entries(params || {})) if (v !== "" && v !== null && v !== undefined) url.searchParams.set(k, v);
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      let message = response.statusText;
      try { const body = await response.json(); message = (body.error && body.error.message) || message; } catch (_) { /* not JSON */ }
      throw new Error(`${path}: ${message}`);
    }
    return response.json();
  }

  function fmt(x) {
    if (x === null || x === undefined) return "";
    if (typeof x !== "number") return String(x);
    if (x !== 0 && Math.abs(x) < 0.01) return x.toExponential(1);
    return Number.isInteger(x) ? String(x) : x.toFixed(1);
  }

  // ----- alerts panel ----------------------------------------------------------------------

  let alertsList, alertsStatus;

  function buildAlertsPanel(root) {
    const rules = { "": "All rules", ...RULE_LABELS };
    alertsList = h("ol", { class: "sw-alerts", style: { listStyle: "none", padding: "0", margin: "6px 0", maxHeight: "340px", overflowY: "auto" } });
    alertsStatus = h("p", { class: "muted small", "aria-live": "polite" }, "Loading alerts…");
    root.replaceChildren(
      h("div", { class: "side-head" }, h("h3", {}, "Alerts"),
        h("span", { class: "muted small" }, "change against each area's own baseline")),
      h("div", { class: "row2" },
        h("label", { class: "field" }, "Period", select("period", { month: "Month", week: "Week" }, state.period,
          (v) => { state.period = v; refresh(); })),
        h("label", { class: "field" }, "Rule", select("rule", rules, state.rule, (v) => { state.rule = v; loadAlerts(); }))),
      alertsStatus, alertsList);
  }

  function alertItem(a) {
    const color = RULE_COLORS[a.rule] || "#66717e";
    const numbers = [`observed ${fmt(a.observed)} ${a.metric.replace(/_/g, " ")}`];
    if (a.baseline !== null && a.baseline !== undefined) numbers.push(`baseline ${fmt(a.baseline)}/${state.period}`);
    if (a.p_value !== null && a.p_value !== undefined) numbers.push(`p = ${fmt(a.p_value)}`);
    const item = h("li", {
      class: `sw-alert sw-rule-${a.rule}`, tabindex: "0", title: a.threshold,
      style: { borderLeft: `4px solid ${color}`, padding: "4px 8px", margin: "0 0 6px", background: "var(--card, #fff)", cursor: "pointer" },
    },
    h("div", { style: { display: "flex", justifyContent: "space-between", gap: "6px" } },
      h("strong", { style: { color } }, RULE_LABELS[a.rule] || a.rule),
      h("span", { class: "muted small" }, a.period)),
    h("div", { class: "sw-alert-message" }, a.p_value === null || a.p_value === undefined ? a.message
      : `${a.area}: ${a.metric.replace(/_/g, " ")} far above the usual level`),
    h("div", { class: "muted small" }, numbers.join(" · ")));
    const show = () => {
      const api = window.sahelwatch;
      if (!api || !api.setFilters) return;
      api.setFilters({ country: a.country || "", admin1: a.admin1 || "", actor: a.actor || "", since: a.period_start, until: a.period_end });
    };
    item.addEventListener("click", show);
    item.addEventListener("keydown", (e) => { if (e.key === "Enter") show(); });
    return item;
  }

  async function loadAlerts() {
    alertsStatus.textContent = "Loading alerts…";
    try {
      const data = await getJSON("/api/alerts", { period: state.period, rule: state.rule, country: state.country, limit: 200 });
      alertsList.replaceChildren(...data.alerts.map(alertItem));
      alertsStatus.textContent = data.count === 0 ? "No alerts." :
        `${data.count} alert(s)${data.count > data.alerts.length ? `, newest ${data.alerts.length} shown` : ""}. Click one to show its events.`;
    } catch (err) {
      alertsList.replaceChildren();
      alertsStatus.textContent = `Alerts unavailable: ${err.message}`;
    }
  }

  // ----- subscriptions: the current filters as a named subscription (Atom feed, webhook) -----

  let subsList, subsStatus, subsForm;
  const SUB_FILTERS = ["country", "admin1", "actor", "event_type", "min_fatalities"];

  function currentFilters() {
    const f = (window.sahelwatch && window.sahelwatch.filters && window.sahelwatch.filters()) || {};
    const out = {};
    for (const k of SUB_FILTERS) if (f[k] !== undefined && f[k] !== "") out[k] = k === "min_fatalities" ? Number(f[k]) : f[k];
    return out;
  }

  function describeFilters(f) {
    const parts = SUB_FILTERS.filter((k) => f[k] !== undefined && f[k] !== null && f[k] !== "")
      .map((k) => `${k.replace(/_/g, " ")}: ${f[k]}`);
    return parts.length ? parts.join(" · ") : "all events";
  }

  function buildSubscriptions(root) {
    subsList = h("ul", { class: "sw-subscriptions", style: { listStyle: "none", padding: "0", margin: "6px 0" } });
    subsStatus = h("p", { class: "muted small", "aria-live": "polite" });
    const name = h("input", { name: "subscription-name", required: true, maxlength: "200", placeholder: "e.g. Mopti escalations" });
    const hook = h("input", { name: "subscription-webhook", type: "url", placeholder: "https://… (optional)" });
    const scope = h("p", { class: "muted small sw-subscription-scope" });
    subsForm = h("form", { class: "sw-subscribe-form", hidden: true, onsubmit: (e) => { e.preventDefault(); subscribe(name, hook); } },
      scope,
      h("label", { class: "field" }, "Name", name),
      h("label", { class: "field" }, "Webhook (POST, signed)", hook),
      h("div", { class: "buttons" }, h("button", { type: "submit", class: "btn primary small" }, "Subscribe"),
        h("button", { type: "button", class: "btn small", onclick: () => { subsForm.hidden = true; } }, "Cancel")));
    const open = h("button", { type: "button", class: "btn small sw-subscribe", onclick: async () => {
      const api = window.sahelwatch;
      if (api.requireToken && !(await api.requireToken())) return;
      const rule = state.rule ? ` · rule: ${RULE_LABELS[state.rule]}` : "";
      scope.textContent = `Alerts per ${state.period} on ${describeFilters(currentFilters())}${rule}`;
      subsForm.hidden = false;
      name.focus();
    } }, "Subscribe to these filters");
    root.append(h("div", { class: "side-head", style: { marginTop: "10px" } }, h("h3", {}, "Subscriptions"), open),
      subsForm, subsStatus, subsList);
  }

  async function subscribe(name, hook) {
    const body = { name: name.value.trim(), period: state.period, ...currentFilters() };
    if (state.rule) body.rules = [state.rule];
    if (hook.value.trim()) body.webhook_url = hook.value.trim();
    try {
      const made = await window.sahelwatch.api("/api/subscriptions", { method: "POST", json: body });
      subsForm.hidden = true;
      name.value = "";
      hook.value = "";
      subsStatus.textContent = made.secret
        ? `Subscribed. Webhook secret (shown once): ${made.secret}`
        : "Subscribed. Its new alerts go to its Atom feed.";
      await loadSubscriptions();
    } catch (err) {
      subsStatus.textContent = `Could not subscribe: ${err.message}`;
    }
  }

  function subscriptionItem(sub) {
    const remove = h("button", { type: "button", class: "btn small bad", title: "Remove this subscription", onclick: async () => {
      const api = window.sahelwatch;
      if (api.requireToken && !(await api.requireToken())) return;
      try {
        await api.api(`/api/subscriptions/${sub.id}`, { method: "DELETE" });
        await loadSubscriptions();
      } catch (err) { subsStatus.textContent = `Could not remove: ${err.message}`; }
    } }, "Remove");
    const rules = sub.rules.length ? sub.rules.map((r) => RULE_LABELS[r] || r).join(", ") : "all rules";
    return h("li", { class: "sw-subscription", "data-id": String(sub.id), style: { padding: "4px 0", borderTop: "1px solid var(--line, #dde3ea)" } },
      h("div", { style: { display: "flex", justifyContent: "space-between", gap: "6px", alignItems: "center" } },
        h("strong", { class: "sw-subscription-name" }, sub.name), remove),
      h("div", { class: "muted small" }, `${describeFilters(sub)} · ${rules} · per ${sub.period}`),
      h("div", { class: "small" }, h("a", { href: sub.feed, class: "sw-feed", type: "application/atom+xml" }, "Atom feed"),
        sub.webhook_url ? h("span", { class: "muted" }, ` · webhook ${sub.webhook_url}`) : null));
  }

  async function loadSubscriptions() {
    try {
      const data = await getJSON("/api/subscriptions");
      subsList.replaceChildren(...data.subscriptions.map(subscriptionItem));
      if (!data.subscriptions.length && !subsStatus.textContent) subsStatus.textContent = "No subscriptions yet.";
    } catch (err) {
      subsStatus.textContent = `Subscriptions unavailable: ${err.message}`;
    }
  }

  // ----- charts panel ----------------------------------------------------------------------

  let chartBox, chartStatus, legendBox, pairsBox;

  function buildChartsPanel(root) {
    chartBox = h("div", { class: "sw-chart" });
    legendBox = h("ul", { class: "sw-chart-legend small", style: { listStyle: "none", padding: "0", margin: "4px 0" } });
    chartStatus = h("p", { class: "muted small", "aria-live": "polite" });
    pairsBox = h("div", { class: "sw-interactions", style: { maxHeight: "260px", overflowY: "auto" } });
    root.replaceChildren(
      h("div", { class: "side-head" }, h("h3", {}, "Trends")),
      h("div", { class: "row2" },
        h("label", { class: "field" }, "By", select("by", BY_LABELS, state.by, (v) => { state.by = v; loadTrends(); })),
        h("label", { class: "field" }, "Count", select("metric", METRIC_LABELS, state.metric, (v) => { state.metric = v; loadTrends(); }))),
      chartStatus, chartBox, legendBox,
      h("h3", {}, "Who fights whom"),
      pairsBox);
  }

  function drawChart(data) {
    const W = 320, H = 170, L = 34, R = 6, T = 8, B = 22;
    const n = data.periods.length;
    const values = data.series.map((row) => row[data.metric]);
    const max = Math.max(1, ...values.flat());
    const x = (j) => L + (n <= 1 ? 0 : (j * (W - L - R)) / (n - 1));
    const y = (v) => T + (H - T - B) * (1 - v / max);
    const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img",
      "aria-label": `${METRIC_LABELS[data.metric]} per ${data.period} by ${BY_LABELS[data.by]}` });
    svg.appendChild(s("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#99a3ad" }));
    svg.appendChild(s("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#99a3ad" }));
    for (const v of [0, Math.round(max / 2), max]) {
      svg.appendChild(s("text", { x: L - 4, y: y(v) + 3, "text-anchor": "end", "font-size": "9", fill: "#66717e" }, String(v)));
    }
    if (n) {
      svg.appendChild(s("text", { x: L, y: H - 6, "font-size": "9", fill: "#66717e" }, data.periods[0]));
      svg.appendChild(s("text", { x: W - R, y: H - 6, "text-anchor": "end", "font-size": "9", fill: "#66717e" }, data.periods[n - 1]));
    }
    data.series.forEach((row, i) => {
      const color = PALETTE[i % PALETTE.length];
      const points = row[data.metric].map((v, j) => `${x(j).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
      const line = s("polyline", { points, fill: "none", stroke: color, "stroke-width": "1.6" });
      line.appendChild(s("title", {}, row.label));
      svg.appendChild(line);
      row[data.metric].forEach((v, j) => {
        if (!v) return;
        const dot = s("circle", { cx: x(j), cy: y(v), r: "2", fill: color });
        dot.appendChild(s("title", {}, `${row.label}, ${data.periods[j]}: ${v}`));
        svg.appendChild(dot);
      });
    });
    return svg;
  }

  async function loadTrends() {
    chartStatus.textContent = "Loading trends…";
    try {
      const data = await getJSON("/api/trends", { by: state.by, period: state.period, metric: state.metric, top: 6, country: state.country });
      data.metric = state.metric;
      if (!data.series.length) {
        chartBox.replaceChildren();
        legendBox.replaceChildren();
        chartStatus.textContent = "No events to chart.";
        return;
      }
      chartBox.replaceChildren(drawChart(data));
      legendBox.replaceChildren(...data.series.map((row, i) => h("li", {},
        h("span", { style: { display: "inline-block", width: "10px", height: "10px", marginRight: "6px", background: PALETTE[i % PALETTE.length] } }),
        row.label, h("span", { class: "muted" }, ` (${row[state.metric].reduce((a, b) => a + b, 0)})`))));
      chartStatus.textContent = `${METRIC_LABELS[state.metric]} per ${state.period}, top ${data.series.length} by ${BY_LABELS[state.by].toLowerCase()}`;
    } catch (err) {
      chartBox.replaceChildren();
      legendBox.replaceChildren();
      chartStatus.textContent = `Trends unavailable: ${err.message}`;
    }
  }

  async function loadInteractions() {
    try {
      const data = await getJSON("/api/interactions", { period: state.period, limit: 40, country: state.country });
      if (!data.interactions.length) { pairsBox.replaceChildren(h("p", { class: "muted small" }, "No two-sided events.")); return; }
      const columns = [["Period", "56px", "period"], ["Actor 1", "auto", "first side"], ["Actor 2", "auto", "second side"],
        ["Ev.", "30px", "events"], ["Killed", "40px", "fatalities"]];
      const head = h("tr", {}, columns.map(([c, w, title]) =>
        h("th", { scope: "col", title, style: { width: w, textAlign: w === "auto" ? "left" : "right", padding: "2px 3px" } }, c)));
      const cell = { verticalAlign: "top", overflowWrap: "anywhere", padding: "2px 3px", borderTop: "1px solid var(--line, #dde3ea)" };
      const rows = data.interactions.map((r) => h("tr", {},
        h("td", { style: cell }, r.period), h("td", { style: cell }, r.actor1), h("td", { style: cell }, r.actor2),
        h("td", { style: { ...cell, textAlign: "right" } }, String(r.events)),
        h("td", { style: { ...cell, textAlign: "right" } }, String(r.fatalities))));
      pairsBox.replaceChildren(h("table", { class: "sw-interactions-table small",
        style: { width: "100%", borderCollapse: "collapse", tableLayout: "fixed", fontSize: "12px" } },
      h("thead", {}, head), h("tbody", {}, rows)));
    } catch (err) {
      pairsBox.replaceChildren(h("p", { class: "muted small" }, `Interactions unavailable: ${err.message}`));
    }
  }

  // ----- wiring -----------------------------------------------------------------------------

  function refresh() {
    const jobs = [];
    if (alertsList) jobs.push(loadAlerts());
    if (chartBox) jobs.push(loadTrends(), loadInteractions());
    return Promise.all(jobs);
  }

  function start() {
    const alertsRoot = document.getElementById("alerts-panel");
    const chartsRoot = document.getElementById("charts-panel");
    if (alertsRoot) buildAlertsPanel(alertsRoot);
    if (alertsRoot && window.sahelwatch && window.sahelwatch.api) {  // the full web app: subscriptions too
      buildSubscriptions(alertsRoot);
      loadSubscriptions();
    }
    if (chartsRoot) buildChartsPanel(chartsRoot);
    const api = window.sahelwatch;
    if (api && api.onFiltersChange) {
      api.onFiltersChange((filters) => {
        const country = (filters && filters.country) || "";
        const period = filters && (filters.period === "week" || filters.period === "month") ? filters.period : state.period;
        if (country !== state.country || period !== state.period) {
          state.country = country;
          state.period = period;
          const picker = alertsRoot && alertsRoot.querySelector("select[name=period]");
          if (picker) picker.value = period;
          refresh();
        }
      });
    }
    refresh();
  }

  window.sahelwatchAlerts = { refresh };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();

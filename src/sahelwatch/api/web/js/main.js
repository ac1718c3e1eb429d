// sahelwatch dashboard: filters -> /api/events (compact rows) -> map + timeline; event panel.
import { api, auth, query } from "./api.js";
import { h, fill, toast, openModal, closeModal, fmtInt } from "./dom.js";
import { TYPE_COLORS, typeColor } from "./colors.js";
import { createMap } from "./map.js";
import { createTimeline } from "./timeline.js";
import { createPanel } from "./panel.js";

const SERVER_FILTERS = ["text", "country", "admin1", "actor", "event_type", "claimed", "min_fatalities"];
const MAP_LIMIT = 200000;

const state = {
  filters: {},            // what the form says (server filters + since/until + status)
  period: "month",
  rows: [],               // events from the server (all dates), as objects
  visible: [],            // after the date range and status filters
  total: 0,
  hiddenTypes: new Set(), // toggled off in the legend
};
const listeners = [];

const form = document.getElementById("filters");

function readForm() {
  const data = new FormData(form);
  const out = {};
  for (const [k, v] of data.entries()) if (String(v).trim() !== "") out[k] = String(v).trim();
  return out;
}

function writeForm(filters) {
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.tagName === "SELECT" && filters[el.name] && ![...el.options].some((o) => o.value === filters[el.name])) {
      el.appendChild(h("option", { value: filters[el.name] }, filters[el.name]));
    }
    el.value = filters[el.name] ?? "";
  }
}

function serverParams(filters) {
  const out = {};
  for (const k of SERVER_FILTERS) if (filters[k]) out[k] = filters[k];
  if (filters.status && filters.status !== "any") out.status = filters.status;
  return out;
}

/** All current filters as API query parameters (for export and for plugins). */
function apiParams(filters = state.filters) {
  const out = serverParams(filters);
  if (!filters.status) out.status = "unreviewed,verified";  // the map hides rejected events by default
  if (filters.since) out.since = filters.since;
  if (filters.until) out.until = filters.until;
  return out;
}

function passesClient(ev, f) {
  if (f.since && (!ev.date || ev.date < f.since)) return false;
  if (f.until && (!ev.date || ev.date > f.until)) return false;
  if (!f.status && ev.status === "rejected") return false;
  return !state.hiddenTypes.has(ev.type);
}

let mapView;
let timeline;
let panel;
let codebook = { event_types: {} };
let renderChain = Promise.resolve();
let lastFetchKey = null;

function updateExports() {
  const q = query(apiParams());
  for (const [id, format] of [["export-csv", "acled-csv"], ["export-geojson", "geojson"], ["export-parquet", "parquet"],
    ["export-gpkg", "gpkg"]]) {
    document.getElementById(id).href = `/api/export?format=${format}${q ? `&${q}` : ""}`;
  }
}

function updateSummary() {
  const evs = state.visible;
  const fat = evs.reduce((a, e) => a + (e.fatalities || 0), 0);
  const dates = evs.map((e) => e.date).filter(Boolean).sort();
  const range = dates.length ? `${dates[0]} – ${dates[dates.length - 1]}` : "no dates";
  const el = document.getElementById("summary");
  fill(el, h("b", {}, fmtInt(evs.length)), " events · ", h("b", {}, fmtInt(fat)), " fatalities · ", range,
    state.total > state.rows.length ? ` · map shows the first ${fmtInt(state.rows.length)} of ${fmtInt(state.total)}` : "");
  const n = Object.keys(state.filters).length;
  document.getElementById("filter-count").textContent = n ? `${n} active` : "";
}

function updateLegend() {
  const counts = {};
  for (const ev of state.rows) if (passesClient(ev, { ...state.filters })) counts[ev.type] = (counts[ev.type] || 0) + 1;
  const list = document.getElementById("legend-list");
  fill(list, Object.keys(TYPE_COLORS).map((t) => h("li", {
    class: state.hiddenTypes.has(t) ? "off" : "", title: "Click to hide or show this type on the map", "data-type": t,
    onclick: () => {
      if (state.hiddenTypes.has(t)) state.hiddenTypes.delete(t); else state.hiddenTypes.add(t);
      render();
    },
  }, h("span", { class: "dot", style: `background:${typeColor(t)}` }), t,
  h("span", { class: "count" }, fmtInt(state.hiddenTypes.has(t) ? 0 : counts[t] || 0)))));
}

function setHash() {
  const q = query({ ...state.filters, period: state.period === "month" ? "" : state.period });
  history.replaceState(null, "", q ? `#${q}` : window.location.pathname);
}

/** Apply the client-side filters and redraw map, timeline, legend, summary (one render at a time). */
function render() {
  const f = state.filters;
  state.visible = state.rows.filter((ev) => passesClient(ev, f));
  const forTimeline = state.rows.filter((ev) => passesClient(ev, { ...f, since: "", until: "" }));
  timeline.update(forTimeline, state.period, f.since || f.until ? [f.since || "0000-01-01", f.until || "9999-12-31"] : null);
  document.getElementById("brush-clear").hidden = !(f.since || f.until);
  document.getElementById("brush-label").textContent = f.since || f.until ? `Period: ${f.since || "…"} – ${f.until || "…"}` : "";
  updateSummary();
  updateLegend();
  updateExports();
  setHash();
  const events = state.visible;
  renderChain = renderChain.then(() => mapView.setEvents(events)).then((n) => {
    document.body.dataset.markers = String(n);
    document.body.dataset.ready = "1";
    if (!performance.getEntriesByName("sahelwatch:ready").length) performance.mark("sahelwatch:ready");
    for (const fn of listeners) { try { fn(publicFilters()); } catch (e) { console.error(e); } }
    document.dispatchEvent(new CustomEvent("sahelwatch:filters", { detail: publicFilters() }));
  });
  return renderChain;
}

function publicFilters() { return { ...apiParams(), period: state.period }; }

async function load(force = false) {
  state.filters = readForm();
  const params = serverParams(state.filters);
  const key = query(params);
  const status = document.getElementById("map-status");
  if (force || key !== lastFetchKey) {
    status.hidden = false;
    status.textContent = "Loading events…";
    document.body.dataset.ready = "0";
    try {
      const data = await api(`/api/events?${query({ ...params, format: "compact", limit: MAP_LIMIT })}`);
      const types = data.event_types;
      const statuses = data.statuses;
      state.rows = data.rows.map((r) => ({
        id: r[0], lat: r[1], lon: r[2], date: r[3], type: types[r[4]], fatalities: r[5], status: statuses[r[6]],
        claimed: !!r[7], place: r[8],
      }));
      state.total = data.total;
      lastFetchKey = key;
      if (!performance.getEntriesByName("sahelwatch:data").length) performance.mark("sahelwatch:data");
    } catch (err) {
      toast(`Could not load events: ${err.message}`, "error", 8000);
      status.textContent = `Could not load events: ${err.message}`;
      return;
    }
  }
  const refetched = lastFetchKey === key && (force || state.drawnKey !== key);
  status.textContent = "Drawing…";
  await render();
  status.hidden = true;
  if (refetched && state.drawnKey !== undefined && key) mapView.fit();  // a new filter: frame its events
  state.drawnKey = key;
}

async function loadFacets() {
  const params = serverParams({ ...state.filters, country: "", admin1: "" });
  const [countries, regions, actors] = await Promise.all([
    api(`/api/stats?${query({ ...params, by: "country" })}`).catch(() => ({ rows: [] })),
    api(`/api/stats?${query({ ...params, by: "admin1", country: state.filters.country || "" })}`).catch(() => ({ rows: [] })),
    api("/api/actors").catch(() => ({ actors: [] })),
  ]);
  const setOptions = (select, rows, all) => {
    const value = select.value;
    fill(select, h("option", { value: "" }, all), rows.filter((r) => r.key).map((r) =>
      h("option", { value: r.key }, `${r.key} (${fmtInt(r.events)})`)));
    select.value = value;
    if (select.value !== value && value) { select.appendChild(h("option", { value }, value)); select.value = value; }
  };
  setOptions(form.elements.country, countries.rows, "All countries");
  setOptions(form.elements.admin1, regions.rows, "All regions");
  fill(document.getElementById("actor-list"), (actors.actors || []).map((a) => h("option", { value: a.name },
    a.events ? `${fmtInt(a.events)} events` : "")));
}

// --- reviewer token -------------------------------------------------------------------------
function updateTokenButton() {
  const btn = document.getElementById("token-btn");
  btn.textContent = auth.token ? `Reviewer: ${auth.user || "signed in"}` : "Reviewer sign-in";
  btn.classList.toggle("signed-in", !!auth.token);
}

/** Resolves true once a token is stored (asks for it in a modal if needed). */
function requireToken(force = false) {
  if (auth.token && !force) return Promise.resolve(true);
  return new Promise((resolve) => {
    const token = h("input", { type: "password", name: "token", autocomplete: "off", placeholder: "API token", value: auth.token });
    const user = h("input", { type: "text", name: "user", placeholder: "e.g. analyst initials", value: auth.user });
    const done = (ok) => { closeModal(); updateTokenButton(); resolve(ok); };
    openModal(h("form", {
      onsubmit: (e) => { e.preventDefault(); auth.save(token.value.trim(), user.value.trim()); done(!!auth.token); },
    }, h("h2", {}, "Reviewer sign-in"),
    h("p", {}, "Changes need the API token that `sahelwatch serve` printed when it started (or SAHELWATCH_TOKEN). It is kept in this browser only."),
    h("label", { class: "field" }, "API token", token),
    h("label", { class: "field" }, "Your name (recorded in the review history)", user),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "btn primary" }, "Save"),
      h("button", { type: "button", class: "btn", onclick: () => done(!!auth.token) }, "Cancel"),
      auth.token ? h("button", { type: "button", class: "btn bad", onclick: () => { auth.save("", ""); done(false); } }, "Sign out") : null)));
  });
}

// --- add a report -----------------------------------------------------------------------------
async function addReport() {
  if (!(await requireToken())) return;
  const text = h("textarea", { name: "text", required: true, placeholder: "Paste the report's text" });
  const title = h("input", { name: "title", placeholder: "Headline" });
  const published = h("input", { name: "published", type: "date" });
  const source = h("input", { name: "source", placeholder: "Outlet" });
  const url = h("input", { name: "url", type: "url", placeholder: "https://… (fetched if no text)" });
  openModal(h("form", {
    onsubmit: async (e) => {
      e.preventDefault();
      const body = { text: text.value, title: title.value, published: published.value, source: source.value, url: url.value };
      for (const k of Object.keys(body)) if (!body[k]) delete body[k];
      try {
        const result = await api("/api/ingest", { method: "POST", json: body });
        closeModal();
        toast(`Ingested ${result.documents.length} report(s).`);
        await load(true);
        await loadFacets();
      } catch (err) {
        toast(`Could not ingest: ${err.message}`, "error", 8000);
      }
    },
  }, h("h2", {}, "Add a report"), h("p", {}, "The report is read, its events extracted and merged with those already known."),
  h("label", { class: "field" }, "Headline", title),
  h("div", { class: "row2" }, h("label", { class: "field" }, "Published", published), h("label", { class: "field" }, "Outlet", source)),
  h("label", { class: "field" }, "URL", url), h("label", { class: "field" }, "Text", text),
  h("div", { class: "buttons" }, h("button", { type: "submit", class: "btn primary" }, "Ingest"),
    h("button", { type: "button", class: "btn", onclick: closeModal }, "Cancel"))));
}

function onChanged(result, payload) {
  const ev = result.event;
  if (ev && payload.status && !payload.changes) {
    const row = state.rows.find((r) => r.id === ev.event_id);
    if (row) row.status = ev.status || payload.status;
    mapView.updateEvent({ id: ev.event_id, status: row ? row.status : payload.status });
    if (payload.status === "rejected" && !state.filters.status) render();
    else updateLegend();
  } else {
    load(true);
  }
}

async function start() {
  const fromHash = Object.fromEntries(new URLSearchParams(window.location.hash.slice(1)));
  state.period = fromHash.period === "week" ? "week" : "month";
  delete fromHash.period;

  mapView = createMap(document.getElementById("map"), { onEventClick: openEvent });
  // The open event's place is ringed and named on the map until the panel closes.
  const panelEl = document.getElementById("panel");
  new MutationObserver(() => { if (panelEl.hidden) mapView.highlight(null); })
    .observe(panelEl, { attributes: true, attributeFilter: ["hidden"] });
  timeline = createTimeline(document.getElementById("timeline-svg"), {
    onBrush: (since, until) => { form.elements.since.value = since; form.elements.until.value = until; state.filters = readForm(); render(); },
    onClear: () => { form.elements.since.value = ""; form.elements.until.value = ""; state.filters = readForm(); render(); },
  });
  writeForm(fromHash);
  const firstLoad = load();  // the events start loading while the rest is set up
  codebook = await api("/api/codebook").catch(() => codebook);
  const eventType = form.elements.event_type.value;
  fill(form.elements.event_type, h("option", { value: "" }, "All event types"),
    Object.keys(codebook.event_types || TYPE_COLORS).map((t) => h("option", { value: t }, t)));
  form.elements.event_type.value = eventType;
  if (form.elements.event_type.value !== eventType) writeForm(fromHash);
  panel = createPanel(document.getElementById("panel"), { codebook, requireToken, onChanged });

  form.addEventListener("submit", (e) => { e.preventDefault(); load().then(loadFacets); });
  form.addEventListener("reset", () => setTimeout(() => { state.hiddenTypes.clear(); load().then(loadFacets); }, 0));
  form.elements.country.addEventListener("change", () => { form.elements.admin1.value = ""; load().then(loadFacets); });
  for (const name of ["admin1", "event_type", "status", "claimed", "since", "until"]) {
    form.elements[name].addEventListener("change", () => load());
  }
  document.querySelectorAll(".seg button").forEach((b) => b.addEventListener("click", () => {
    state.period = b.dataset.period;
    document.querySelectorAll(".seg button").forEach((x) => x.classList.toggle("on", x === b));
    render();
  }));
  document.querySelectorAll(".seg button").forEach((x) => x.classList.toggle("on", x.dataset.period === state.period));
  document.getElementById("brush-clear").addEventListener("click", () => {
    form.elements.since.value = ""; form.elements.until.value = ""; state.filters = readForm(); render();
  });
  document.getElementById("token-btn").addEventListener("click", () => requireToken(true));
  document.getElementById("add-report").addEventListener("click", addReport);
  document.getElementById("modal-backdrop").addEventListener("click", closeModal);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") { closeModal(); } });
  updateTokenButton();

  await firstLoad;
  loadFacets();
}

function openEvent(id) {
  const row = state.rows.find((r) => r.id === id);
  const opened = panel.open(id);
  mapView.highlight(row || null);
  return opened;
}

// For plugins (alerts.js, charts): read and set the filters, hear about changes, open events.
window.sahelwatch = {
  filters: publicFilters,
  onFiltersChange: (fn) => listeners.push(fn),
  setFilters: (partial) => { writeForm({ ...readForm(), ...partial }); return load().then(loadFacets); },
  openEvent,
  locateEvent: (id) => mapView.locate(id),
  requireToken: (force) => requireToken(force),
  map: () => mapView.map,
  api,
  typeColor,
  visibleEvents: () => state.visible,
};

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();

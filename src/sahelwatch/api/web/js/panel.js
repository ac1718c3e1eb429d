// The event panel: every field, the sources, the report text with the evidence highlighted,
// and the review buttons (verify, edit, reject). Untrusted text only ever becomes text nodes.
import { api, ApiError } from "./api.js";
import { h, fill, safeUrl, toast, fmtInt, openModal, closeModal } from "./dom.js";
import { typeColor } from "./colors.js";

const GEO_PRECISION = { 1: "exact place", 2: "near a place / area", 3: "region (admin)" };
const TIME_PRECISION = { 1: "exact day", 2: "week", 3: "month" };
// Field order for the "all fields" table: ACLED's names first.
const ORDER = ["event_id", "event_date", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1",
  "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "country",
  "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
  "fatalities", "fatalities_min", "fatalities_max", "fatalities_text", "injured", "claimed", "status", "source_count",
  "confidence", "salience", "doc_id"];
const EDITABLE = [
  ["event_date", "Event date", "date"], ["event_type", "Event type", "type"], ["sub_event_type", "Sub-event type", "subtype"],
  ["actor1", "Actor 1", "text"], ["actor2", "Actor 2", "text"], ["fatalities", "Fatalities", "number"],
  ["location", "Location", "text"], ["admin2", "Admin2", "text"], ["admin1", "Admin1", "text"], ["country", "Country", "text"],
  ["latitude", "Latitude", "float"], ["longitude", "Longitude", "float"], ["claimed", "Claimed by an actor", "bool"],
  ["notes", "Notes", "textarea"],
];

/** Text with the evidence spans wrapped in <mark>, built from text nodes only. */
export function highlighted(text, spans) {
  const ranges = [];
  for (const sp of spans || []) {
    let start = Number(sp.start);
    let end = Number(sp.end);
    if (!(Number.isInteger(start) && Number.isInteger(end) && text.slice(start, end) === sp.text) && sp.text) {
      start = text.indexOf(sp.text);  // offsets off (e.g. a re-extracted text): find the sentence itself
      end = start + sp.text.length;
    }
    if (start >= 0 && end > start && end <= text.length) ranges.push([start, end]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else merged.push([...r]);
  }
  const out = [];
  let at = 0;
  for (const [a, z] of merged) {
    if (a > at) out.push(document.createTextNode(text.slice(at, a)));
    out.push(h("mark", { class: "evidence" }, text.slice(a, z)));
    at = z;
  }
  if (at < text.length) out.push(document.createTextNode(text.slice(at)));
  return out;
}

function show(value) {
  if (value === null || value === undefined || value === "") return "–";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** A "learned from review" mark for the entries of `learned` that `pick` selects, with who taught them. */
function learnedBadge(learned, pick) {
  const hits = (learned || []).filter(pick);
  if (!hits.length) return null;
  const who = hits.map((e) => `${e.kind === "alias" ? `"${e.name}" = ${e.actor}` : e.name} · by ${e.added_by || "?"}`
    + ` from ${e.event_id || "?"}${e.added_at ? ` on ${String(e.added_at).slice(0, 10)}` : ""}`).join("; ");
  return h("a", { class: "learned-badge", href: "/learned", "data-learned": hits.map((e) => e.kind).join(" "), title: who },
    "learned from review");
}

const sameActor = (ev, side) => (e) => (e.kind === "actor" && e.name === ev[side]) || (e.kind === "alias" && e.actor === ev[side]);

export function createPanel(element, { codebook, requireToken, onChanged }) {
  let current = null;

  function close() {
    element.hidden = true;
    element.replaceChildren();
    current = null;
  }

  async function review(payload, verb) {
    if (!(await requireToken())) return;
    try {
      const result = await api(`/api/events/${encodeURIComponent(current.event_id)}`, { method: "PATCH", json: payload });
      toast(`Event ${verb}.`);
      for (const e of result.learned || []) {
        toast(`Learned from review: ${e.kind} ${e.kind === "alias" ? `"${e.name}" = ${e.actor}` : e.name}. `
          + "The next report naming it is read with it.", "info", 6000);
      }
      for (const note of result.notes || []) toast(note, "info", 6000);
      onChanged(result, payload);
      await open(current.event_id);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        toast(`${err.message}. Sign in again with the reviewer token.`, "error", 6000);
        await requireToken(true);
      } else {
        toast(`Could not save: ${err.message}`, "error", 6000);
      }
    }
  }

  function editForm(ev) {
    const inputs = {};
    const aliasText = h("input", { name: "alias_text", placeholder: "e.g. the Sirba fighters", autocomplete: "off" });
    const aliasActor = h("input", { name: "alias_actor", list: "actor-list", placeholder: "e.g. JNIM: Group for Support of Islam and Muslims",
      autocomplete: "off", value: ev.actor1 || "" });
    const types = Object.keys(codebook.event_types || {});
    const sub = h("select", { name: "sub_event_type" });
    const fillSub = (type) => fill(sub, ...(codebook.event_types[type] || []).map((st) =>
      h("option", { value: st, selected: st === ev.sub_event_type }, st)));
    const fields = EDITABLE.map(([name, labelText, kind]) => {
      let input;
      if (kind === "type") {
        input = h("select", { name, onchange: (e) => fillSub(e.target.value) },
          types.map((t) => h("option", { value: t, selected: t === ev.event_type }, t)));
      } else if (kind === "subtype") {
        input = sub;
        fillSub(ev.event_type);
      } else if (kind === "bool") {
        input = h("input", { type: "checkbox", name, checked: !!ev[name] });
        inputs[name] = input;
        return h("label", { class: "field check" }, input, labelText);
      } else if (kind === "textarea") {
        input = h("textarea", { name, rows: 3, value: ev[name] ?? "" });
      } else {
        input = h("input", {
          name, type: kind === "date" ? "date" : kind === "number" || kind === "float" ? "number" : "text",
          step: kind === "float" ? "any" : kind === "number" ? "1" : null, min: kind === "number" ? "0" : null,
          value: ev[name] ?? "",
        });
      }
      inputs[name] = input;
      return h("label", { class: "field" }, labelText, input);
    });
    const form = h("form", {
      class: "edit-form",
      onsubmit: async (e) => {
        e.preventDefault();
        const changes = {};
        for (const [name, , kind] of EDITABLE) {
          const input = inputs[name];
          let value = kind === "bool" ? input.checked : input.value;
          if (kind === "number") value = value === "" ? 0 : parseInt(value, 10);
          if (kind === "float") value = value === "" ? null : parseFloat(value);
          const before = ev[name] ?? (kind === "bool" ? false : kind === "float" ? null : "");
          if (value !== before && !(kind === "number" && Number(before) === value)) changes[name] = value;
        }
        const payload = Object.keys(changes).length ? { changes } : {};
        if (aliasText.value.trim()) payload.alias = { text: aliasText.value.trim(), actor: aliasActor.value.trim() };
        if (!Object.keys(payload).length) { toast("Nothing changed."); return; }
        await review(payload, "updated");
      },
    }, h("h3", {}, "Edit fields"), fields,
    h("p", { class: "muted small" }, "A village the gazetteer lacks (its name with latitude and longitude) and an actor "
      + "the registry lacks are learned from this edit: the next report naming them is placed and attributed with them."),
    h("fieldset", { class: "teach" }, h("legend", {}, "Teach an alias"),
      h("label", { class: "field" }, "Words the report uses for an actor", aliasText),
      h("label", { class: "field" }, "are the registry actor", aliasActor)),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "btn primary" }, "Save changes"),
      h("button", { type: "button", class: "btn", onclick: () => open(ev.event_id) }, "Cancel")));
    return form;
  }

  function merges(ev) {
    const list = (ev.merges || []).filter((m) => !m.undone);
    if (!list.length) return null;
    return h("section", {}, h("h3", {}, "Merged into this event"), h("ul", { class: "audit" }, list.map((m) => h("li", {},
      `${Object.keys(m.absorbed || {}).join(", ") || "events"} · ${m.automatic ? "automatic (same incident)" : `by ${m.user}`} · ${m.created || ""} `,
      h("button", { type: "button", class: "btn small", "data-action": "undo-merge",
        onclick: () => review({ undo_merge: m.merge_id }, "restored") }, "Undo")))));
  }

  function mergeForm(ev) {
    const ids = h("input", { name: "merge_with", placeholder: "e.g. NER12, NER15", autocomplete: "off" });
    openModal(h("form", {
      onsubmit: async (e) => {
        e.preventDefault();
        const list = ids.value.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
        if (!list.length) return;
        closeModal();
        await review({ merge_with: list }, "merged");
      },
    }, h("h2", {}, `Merge into ${ev.event_id}`),
    h("p", {}, "The events named here describe the same incident: their sources and evidence move into this event, "
      + "which keeps the lowest fatality figure. A merge can be undone."),
    h("label", { class: "field" }, "Event ids", ids),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "btn primary" }, "Merge"),
      h("button", { type: "button", class: "btn", onclick: closeModal }, "Cancel"))));
  }

  function sourceBlock(src, ev, expanded, canSplit) {
    const url = safeUrl(src.url);
    const report = h("div", { class: "report", hidden: !expanded }, "Loading report…");
    let loaded = false;
    const load = async () => {
      if (loaded) return;
      loaded = true;
      try {
        const doc = await api(`/api/documents/${encodeURIComponent(src.doc_id)}`);
        fill(report, highlighted(doc.text || "", src.evidence || (src.doc_id === ev.doc_id ? ev.evidence : [])));
      } catch (err) {
        fill(report, `Report text unavailable: ${err.message}`);
      }
    };
    const toggle = h("button", {
      type: "button", class: "btn small",
      onclick: async () => { report.hidden = !report.hidden; toggle.textContent = report.hidden ? "Show report" : "Hide report"; await load(); },
    }, expanded ? "Hide report" : "Show report");
    if (expanded) load();
    return h("div", { class: "source" },
      h("div", { class: "title" }, src.title || src.doc_id || "Untitled report"),
      h("div", { class: "meta" },
        h("span", {}, src.source || "unknown outlet"),
        h("span", {}, src.published ? String(src.published).slice(0, 10) : "no date"),
        url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer nofollow" }, "original ↗") : null,
        h("span", {}, `${(src.evidence || []).length} evidence span(s)`)),
      h("div", { class: "buttons" }, toggle, canSplit ? h("button", {
        type: "button", class: "btn small", "data-action": "split", title: "Make this report's account a separate event",
        onclick: () => review({ split_docs: [src.doc_id] }, "split"),
      }, "Split off as its own event") : null), report);
  }

  async function open(id) {
    element.hidden = false;
    fill(element, h("div", { class: "panel-body" }, "Loading event…"));
    let ev;
    try {
      ev = await api(`/api/events/${encodeURIComponent(id)}`);
    } catch (err) {
      fill(element, h("div", { class: "panel-body" }, h("button", { class: "btn", onclick: close }, "Close"), " ",
        `Could not load event: ${err.message}`));
      return;
    }
    current = ev;
    render(ev, false);
  }

  function render(ev, editing) {
    const status = ev.status || "unreviewed";
    const where = [ev.location, ev.admin2, ev.admin1, ev.country].filter(Boolean).filter((v, i, a) => a.indexOf(v) === i);
    const fatRange = ev.fatalities_max !== undefined && ev.fatalities_max !== null && ev.fatalities_max !== ev.fatalities
      ? `reports: ${fmtInt(ev.fatalities_min ?? ev.fatalities)}–${fmtInt(ev.fatalities_max)}` : "lowest figure reported";
    const head = h("div", { class: "panel-head" },
      h("div", { class: "top" },
        h("span", { class: "chip" }, h("span", { class: "dot", style: `background:${typeColor(ev.event_type)}` }), ev.event_type || "Unclassified"),
        h("span", { class: `status ${status}`, "data-status": status }, status),
        h("button", { class: "close", type: "button", "aria-label": "Close", title: "Close", onclick: close }, "×")),
      h("h1", {}, `${ev.sub_event_type || ev.event_type || "Event"} · ${where.join(", ") || "unknown place"}`),
      h("div", { class: "muted small" }, `${ev.event_date || "no date"} · ${TIME_PRECISION[ev.time_precision] || "precision unknown"} · ${ev.event_id}`),
      h("div", { class: "review" },
        h("button", { type: "button", class: "btn ok", "data-action": "verify", disabled: status === "verified",
          onclick: () => review({ status: "verified" }, "verified") }, "✓ Verify"),
        h("button", { type: "button", class: "btn", "data-action": "edit", onclick: () => render(ev, true) }, "✎ Edit"),
        h("button", { type: "button", class: "btn bad", "data-action": "reject", disabled: status === "rejected",
          onclick: () => review({ status: "rejected" }, "rejected") }, "✕ Reject"),
        h("button", { type: "button", class: "btn", "data-action": "merge", title: "Merge other events (same incident) into this one",
          onclick: () => mergeForm(ev) }, "Merge…"),
        status !== "unreviewed" ? h("button", { type: "button", class: "btn small", "data-action": "reset",
          onclick: () => review({ status: "unreviewed" }, "reset to unreviewed") }, "Reset") : null));

    const kpis = h("div", { class: "kpis" },
      h("div", { class: "kpi" }, h("div", { class: "label" }, "Fatalities"), h("div", { class: "big" }, fmtInt(ev.fatalities)),
        h("div", { class: "muted small" }, fatRange)),
      h("div", { class: "kpi" }, h("div", { class: "label" }, "Injured"), h("div", { class: "big" }, fmtInt(ev.injured))),
      h("div", { class: "kpi" }, h("div", { class: "label" }, "Sources"), h("div", { class: "big" }, fmtInt(ev.source_count ?? (ev.sources || []).length)),
        h("div", { class: "muted small" }, ev.source_scale || "")));

    const facts = h("dl", { class: "facts" },
      h("dt", {}, "Actor 1"), h("dd", { class: "actor1" }, show(ev.actor1), ev.assoc_actor_1 ? ` (with ${ev.assoc_actor_1})` : "", ev.inter1 ? ` · inter ${ev.inter1}` : "",
        learnedBadge(ev.learned, sameActor(ev, "actor1"))),
      h("dt", {}, "Actor 2"), h("dd", { class: "actor2" }, show(ev.actor2), ev.assoc_actor_2 ? ` (with ${ev.assoc_actor_2})` : "", ev.inter2 ? ` · inter ${ev.inter2}` : "",
        learnedBadge(ev.learned, sameActor(ev, "actor2"))),
      h("dt", {}, "Claimed"), h("dd", {}, ev.claimed ? "yes: an actor's claim, not independently confirmed" : "no"),
      h("dt", {}, "Civilian targeting"), h("dd", {}, ev.civilian_targeting ? "yes" : "no"),
      h("dt", {}, "Place"), h("dd", { class: "place" }, where.join(", ") || "–", ev.latitude != null ? ` (${Number(ev.latitude).toFixed(3)}, ${Number(ev.longitude).toFixed(3)})` : "",
        ev.geo_precision ? ` · ${GEO_PRECISION[ev.geo_precision] || `precision ${ev.geo_precision}`}` : "",
        learnedBadge(ev.learned, (e) => e.kind === "place")),
      h("dt", {}, "Fatalities text"), h("dd", {}, show(ev.fatalities_text)),
      h("dt", {}, "Disorder type"), h("dd", {}, show(ev.disorder_type)),
      h("dt", {}, "Confidence"), h("dd", {}, ev.confidence != null ? `${Math.round(ev.confidence * 100)}%` : "–"),
      h("dt", {}, "Notes"), h("dd", {}, show(ev.notes)));

    const all = h("details", { class: "all" }, h("summary", {}, "All fields"),
      h("table", { class: "fields" }, h("tbody", {}, [...ORDER, ...Object.keys(ev).filter((k) => !ORDER.includes(k) && !["sources", "audit", "evidence", "learned"].includes(k))]
        .filter((k) => k in ev).map((k) => h("tr", {}, h("td", {}, k), h("td", {}, show(ev[k])))))));

    const sources = ev.sources && ev.sources.length ? ev.sources : [{ doc_id: ev.doc_id, evidence: ev.evidence, source: ev.source }];
    const audit = ev.audit || [];
    const merged = ev.merged_into ? h("section", { class: "notice" }, `This event was merged into ${ev.merged_into}. `,
      h("button", { type: "button", class: "btn small", onclick: () => open(ev.merged_into) }, "Open it")) : null;
    const body = h("div", { class: "panel-body" },
      merged,
      editing ? h("section", {}, editForm(ev)) : null,
      h("section", {}, kpis, facts),
      h("section", {}, all),
      h("section", { class: "sources" }, h("h3", {}, `Sources (${sources.length})`), sources.map((src, i) => sourceBlock(src, ev, i === 0, sources.length > 1 && !ev.merged_into))),
      merges(ev),
      h("section", {}, h("h3", {}, "Review history"), audit.length
        ? h("ul", { class: "audit" }, audit.map((a) => h("li", {},
          h("strong", {}, show(a.user)), ` · ${show(a.at || a.when || a.timestamp)} · ${show(a.action || "")}`, h("br"),
          h("span", { class: "muted" }, `${show(a.before)} → ${show(a.after)}`))))
        : h("p", { class: "muted small" }, "Not reviewed yet.")));
    fill(element, head, body);
  }

  return { open, close, current: () => current };
}

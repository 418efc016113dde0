#!/usr/bin/env bash
# Refreshes the vendored front-end libraries in src/Pantau.Web/wwwroot/lib from npm (versions in src/Pantau.Web/package.json).
set -euo pipefail
web="$(cd "$(dirname "$0")/../src/Pantau.Web" && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cp "$web/package.json" "$tmp/" && (cd "$tmp" && npm install --no-audit --no-fund >/dev/null)
m="$tmp/node_modules"; lib="$web/wwwroot/lib"
rm -rf "$lib"; mkdir -p "$lib/leaflet" "$lib/chartjs" "$lib/htmx" "$lib/swagger-ui" "$lib/jsqr"
cp -r "$m/leaflet/dist/leaflet.js" "$m/leaflet/dist/leaflet.css" "$m/leaflet/dist/images" "$m/leaflet/LICENSE" "$lib/leaflet/"
cp "$m/chart.js/dist/chart.umd.min.js" "$m/chart.js/LICENSE.md" "$lib/chartjs/"
cp "$m/htmx.org/dist/htmx.min.js" "$m/htmx.org/LICENSE" "$lib/htmx/"
cp "$m/swagger-ui-dist/swagger-ui-bundle.js" "$m/swagger-ui-dist/swagger-ui.css" "$m/swagger-ui-dist/LICENSE" "$lib/swagger-ui/"
cp "$m/jsqr/dist/jsQR.js" "$m/jsqr/LICENSE" "$lib/jsqr/"
echo "vendored into $lib"

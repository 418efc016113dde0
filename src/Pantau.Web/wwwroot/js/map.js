/*
 * Pantau choropleth map (Leaflet, vendored). Usage in a page:
 *   <link rel="stylesheet" href="/lib/leaflet/leaflet.css"> <script src="/lib/leaflet/leaflet.js" defer></script>
 *   <script src="/js/map.js" defer></script>
 *   <div class="map" data-geo="/api/geo/kecamatan?parent=16.71" data-values="/api/readiness/map?region=16.71"
 *        data-href="/kesiapan/{code}" data-points="/api/incidents/points?region=16.71" aria-label="..."></div>
 * data-values returns { "items": { "16.71.01": { "value": 0.8, "label": "80%", "band": "ok|warn|bad|high|medium|low|none|tie|p0..p9" } },
 *                       "legend": [ { "band": "bad", "label": "Terlambat" } ] }
 * data-points (optional) returns [ { "lat": -2.9, "lng": 104.7, "label": "...", "band": "bad", "href": "/..." } ].
 * Features without a value are grey. Clicking a region follows data-href with {code} replaced. A table fallback
 * (the page's own list) should always be present for screen readers and printing.
 * Under the map, links download the data behind it: data-export-geojson / data-export-csv (server exports, e.g. /api/gis/...),
 * or else the loaded boundaries joined with the values as GeoJSON and an HXL-tagged CSV made in the browser (data-no-download: none).
 * Set data-refresh="30" to re-fetch the values every 30 s (or listen for the "pantau:refresh" event on the element).
 */
(function () {
  'use strict';
  var colors = { ok: '#2e7d32', low: '#2e7d32', warn: '#f9a825', medium: '#f9a825', bad: '#c62828', high: '#c62828', none: '#b0b7bf', tie: '#7f7f7f' };
  // Categorical bands p0..p9 (e.g. the leading paslon on the results map), the same palette as charts.js and .sw-p0.. in site.css.
  ['#0b5cad', '#c62828', '#2e7d32', '#f9a825', '#6a1b9a', '#00838f', '#ef6c00', '#5d4037', '#546e7a', '#ad1457'].forEach(function (c, i) { colors['p' + i] = c; });
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function get(url) { return fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }); }

  function init(el) {
    if (!window.L || el.dataset.ready) return;
    el.dataset.ready = '1';
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: false });
    var layer = null, values = { items: {} }, legend = null;
    function style(f) {
      var v = values.items[f.properties.code];
      return { color: '#555', weight: 0.8, fillOpacity: 0.65, fillColor: colors[(v && v.band) || 'none'] || colors.none };
    }
    function draw(geo) {
      layer = L.geoJSON(geo, {
        style: style,
        onEachFeature: function (f, l) {
          var v = values.items[f.properties.code];
          l.bindTooltip('<strong>' + esc(f.properties.name) + '</strong>' + (v ? '<br>' + esc(v.label) : ''), { sticky: true });
          if (el.dataset.href) l.on('click', function () { location.href = el.dataset.href.replace('{code}', encodeURIComponent(f.properties.code)); });
        }
      }).addTo(map);
      var b = layer.getBounds(); if (b.isValid()) map.fitBounds(b, { padding: [8, 8] });
    }
    function showLegend() {
      if (legend) legend.remove();
      if (!values.legend || !values.legend.length) return;
      legend = L.control({ position: 'bottomright' });
      legend.onAdd = function () {
        var d = L.DomUtil.create('div', 'map-legend');
        d.innerHTML = values.legend.map(function (x) { return '<span class="sw sw-' + esc(x.band) + '"></span>' + esc(x.label); }).join('<br>');
        return d;
      };
      legend.addTo(map);
    }
    function loadValues() {
      if (!el.dataset.values) return Promise.resolve();
      return get(el.dataset.values).then(function (v) {
        values = v && v.items ? v : { items: {} };
        if (layer) layer.setStyle(style);
        if (layer) layer.eachLayer(function (l) { var c = l.feature.properties.code, x = values.items[c]; l.setTooltipContent('<strong>' + esc(l.feature.properties.name) + '</strong>' + (x ? '<br>' + esc(x.label) : '')); });
        showLegend();
      }).catch(function () { el.classList.add('map-error'); });
    }
    function loadPoints() {
      if (!el.dataset.points) return;
      get(el.dataset.points).then(function (pts) {
        pointData = pts || [];
        (pts || []).forEach(function (p) {
          var m = L.circleMarker([p.lat, p.lng], { radius: 6, color: '#222', weight: 1, fillOpacity: 0.9, fillColor: colors[p.band] || '#1565c0' }).addTo(map);
          m.bindTooltip(esc(p.label));
          if (p.href) m.on('click', function () { location.href = p.href; });
        });
      }).catch(function () {});
    }
    var geoData = null, pointData = [];
    function download(name, type, text) {
      var a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text], { type: type }));
      a.download = name; document.body.appendChild(a); a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    }
    function layerGeoJson() {
      var features = (geoData && geoData.features || []).map(function (f) {
        var v = values.items[f.properties.code] || {};
        return { type: 'Feature', geometry: f.geometry, properties: { kode: f.properties.code, nama: f.properties.name, nilai: v.value == null ? null : v.value, keterangan: v.label || null, kategori: v.band || null } };
      });
      pointData.forEach(function (p) { features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lng, p.lat] }, properties: { keterangan: p.label, kategori: p.band || null } }); });
      return JSON.stringify({ type: 'FeatureCollection', features: features });
    }
    function csvCell(x) {
      var s = x == null ? '' : String(x);
      if (/^[=+\-@]/.test(s) && isNaN(Number(s))) s = "'" + s;
      return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    }
    function layerCsv() {
      var feats = geoData && geoData.features || [];
      var depth = feats.length ? String(feats[0].properties.code).split('.').length : 1;
      var adm = '#adm' + Math.min(depth, 4);
      var lines = ['kode,nama,nilai,keterangan,kategori', adm + '+code,' + adm + '+name,#indicator+value,#indicator+label,#indicator+category'];
      feats.forEach(function (f) {
        var v = values.items[f.properties.code] || {};
        lines.push([f.properties.code, f.properties.name, v.value, v.label, v.band].map(csvCell).join(','));
      });
      return '\ufeff' + lines.join('\r\n') + '\r\n';
    }
    function addDownloads() {
      if (el.dataset.noDownload != null || (el.nextElementSibling && el.nextElementSibling.classList.contains('map-download'))) return;
      var en = (document.documentElement.lang || 'id') === 'en';
      var base = (el.id || 'peta');
      var p = document.createElement('p');
      p.className = 'map-download';
      p.appendChild(document.createTextNode(en ? 'Download the map data: ' : 'Unduh data peta: '));
      function link(text, href, make) {
        var a = document.createElement('a');
        a.textContent = text;
        a.href = href || '#';
        if (!href) a.addEventListener('click', function (e) { e.preventDefault(); make(); });
        else a.setAttribute('download', '');
        return a;
      }
      p.appendChild(link('GeoJSON', el.dataset.exportGeojson, function () { download(base + '.geojson', 'application/geo+json', layerGeoJson()); }));
      p.appendChild(document.createTextNode(' · '));
      p.appendChild(link(en ? 'CSV (HXL)' : 'CSV (HXL)', el.dataset.exportCsv, function () { download(base + '.csv', 'text/csv', layerCsv()); }));
      el.insertAdjacentElement('afterend', p);
    }
    Promise.all([get(el.dataset.geo), loadValues()]).then(function (r) { geoData = r[0]; draw(r[0]); loadPoints(); addDownloads(); el.dispatchEvent(new CustomEvent('pantau:map-ready', { bubbles: true })); })
      .catch(function () { el.classList.add('map-error'); el.textContent = el.dataset.errorText || 'Peta tidak dapat dimuat / map unavailable'; });
    el.addEventListener('pantau:refresh', loadValues);
    var every = parseInt(el.dataset.refresh || '0', 10);
    if (every > 0) setInterval(loadValues, every * 1000);
  }

  function all() { document.querySelectorAll('.map[data-geo]').forEach(init); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all); else all();
  window.PantauMap = { init: init };
})();

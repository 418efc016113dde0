/*
 * Pantau charts over the vendored Chart.js. Usage in a page:
 *   @section Scripts { <script src="/lib/chartjs/chart.umd.min.js" defer></script> <script src="/js/charts.js" defer></script> }
 * or, to load Chart.js (~70 KB) only when a chart comes near the screen (a phone on a slow network may never scroll to it):
 *   <script src="/js/charts.js" defer data-chart-lib="/lib/chartjs/chart.umd.min.js?v=..."></script>
 *   <div class="chart"><canvas data-chart="bar|line|doughnut|pie|hbar" data-src="/api/..." aria-label="..." role="img"></canvas></div>
 * data-src returns either Chart.js data ({ "labels": [...], "datasets": [{ "label": "...", "data": [...] }] })
 * or a list of { "label": "...", "value": 12 } (one dataset named by data-series).
 * Optional: data-stacked="1", data-percent="1" (values are fractions, shown as %), data-refresh="30" (seconds),
 * data-title="...". Listens for "pantau:refresh" on the canvas (js/live.js sends it) to re-fetch.
 * Numbers are shown the Indonesian way (1.234.567). Keep a table with the same figures on the page for screen readers and print.
 */
(function () {
  'use strict';
  var palette = ['#0b5cad', '#c62828', '#2e7d32', '#f9a825', '#6a1b9a', '#00838f', '#ef6c00', '#5d4037', '#546e7a', '#ad1457'];
  var nf = new Intl.NumberFormat('id-ID');
  function fmt(v, pct) { return pct ? new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 }).format(v * 100) + '%' : nf.format(v); }
  function get(url) { return fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }); }
  function normalize(d, el) {
    if (Array.isArray(d)) d = { labels: d.map(function (x) { return x.label; }), datasets: [{ label: el.dataset.series || '', data: d.map(function (x) { return x.value; }) }] };
    var round = /^(doughnut|pie)$/.test(el.dataset.chart);
    (d.datasets || []).forEach(function (ds, i) {
      if (!ds.backgroundColor) ds.backgroundColor = round ? d.labels.map(function (_, j) { return palette[j % palette.length]; }) : palette[i % palette.length];
      if (el.dataset.chart === 'line') { ds.borderColor = ds.borderColor || palette[i % palette.length]; ds.fill = false; ds.tension = 0.2; }
    });
    return d;
  }
  function init(el) {
    if (!window.Chart || el.dataset.ready) return;
    el.dataset.ready = '1';
    var kind = el.dataset.chart || 'bar', pct = el.dataset.percent === '1', stacked = el.dataset.stacked === '1';
    var chart = null;
    function load() {
      return get(el.dataset.src).then(function (raw) {
        var data = normalize(raw, el);
        if (chart) { chart.data = data; chart.update(); return; }
        var round = /^(doughnut|pie)$/.test(kind);
        var opts = {
          responsive: true, maintainAspectRatio: false, animation: false,
          indexAxis: kind === 'hbar' ? 'y' : 'x',
          plugins: {
            legend: { display: round || (data.datasets || []).length > 1, position: 'bottom' },
            title: { display: !!el.dataset.title, text: el.dataset.title },
            tooltip: { callbacks: { label: function (c) { var v = c.parsed && typeof c.parsed === 'object' ? (kind === 'hbar' ? c.parsed.x : c.parsed.y) : c.parsed; return (c.dataset.label ? c.dataset.label + ': ' : (round ? c.label + ': ' : '')) + fmt(v, pct); } } }
          }
        };
        if (!round) {
          var valueAxis = { beginAtZero: true, stacked: stacked, ticks: { callback: function (v) { return fmt(v, pct); } } };
          opts.scales = kind === 'hbar' ? { x: valueAxis, y: { stacked: stacked } } : { y: valueAxis, x: { stacked: stacked } };
        }
        chart = new window.Chart(el, { type: kind === 'hbar' ? 'bar' : kind, data: data, options: opts });
        el.dispatchEvent(new CustomEvent('pantau:chart-ready', { bubbles: true }));
      }).catch(function () { el.parentNode.classList.add('chart-error'); });
    }
    load();
    el.addEventListener('pantau:refresh', load);
    var every = parseInt(el.dataset.refresh || '0', 10);
    if (every > 0) setInterval(load, every * 1000);
  }
  var lib = document.currentScript && document.currentScript.dataset.chartLib;
  var loading = null;
  function withLib(then) {
    if (window.Chart || !lib) { then(); return; }
    if (!loading) loading = new Promise(function (ok, fail) {
      var s = document.createElement('script');
      s.src = lib; s.onload = ok; s.onerror = fail;
      document.head.appendChild(s);
    });
    loading.then(then, function () { document.querySelectorAll('canvas[data-chart]').forEach(function (c) { c.parentNode.classList.add('chart-error'); }); });
  }
  function all() {
    var charts = document.querySelectorAll('canvas[data-chart][data-src]');
    if (window.Chart || !lib) { charts.forEach(init); return; }
    if (!('IntersectionObserver' in window)) { withLib(function () { charts.forEach(init); }); return; }
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting) return;
        seen.unobserve(e.target);
        withLib(function () { init(e.target); });
      });
    }, { rootMargin: '200px' });
    charts.forEach(function (c) { seen.observe(c); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all); else all();
  window.PantauCharts = { init: function (el) { withLib(function () { init(el); }); } };
})();

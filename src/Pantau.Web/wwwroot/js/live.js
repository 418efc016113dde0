/*
 * Pantau live updates over server-sent events (/api/live?topics=...). Usage:
 *   <section data-live-topics="tally:16.71,incidents" data-live-fragment="/hasil/16/16.71?fragment=1"> ... </section>
 *     -> on any event of those topics, GET the fragment URL and replace the element's inner HTML (throttled).
 *     data-live-select="#id": the URL returns a whole page; take the inner HTML of that element from it.
 *   <div class="map" ... data-live-topics="readiness"></div>   <canvas data-chart ... data-live-topics="tally"></canvas>
 *     -> without data-live-fragment, dispatch "pantau:refresh" on the element (map.js and charts.js re-fetch their data).
 *   data-live-events="sheet-accepted,recap" limits the event types (default: all); data-live-throttle="2000" (ms).
 *   An element with [data-live-status] shows the connection state (data-state=open|closed).
 * One EventSource per page for all topics; on error it reconnects with backoff (1 s doubling to 60 s), and refreshes
 * everything once after a reconnect so nothing missed while offline stays stale.
 */
(function () {
  'use strict';
  var els = Array.prototype.slice.call(document.querySelectorAll('[data-live-topics]'));
  if (!els.length || !window.EventSource) return;
  var statusEls = document.querySelectorAll('[data-live-status]');
  function state(s) { statusEls.forEach(function (e) { e.dataset.state = s; e.textContent = e.getAttribute('data-t-' + s) || s; }); }

  var pending = new Map();
  function refresh(el) {
    if (pending.has(el)) return;
    var wait = parseInt(el.dataset.liveThrottle || '1500', 10);
    pending.set(el, setTimeout(function () {
      pending.delete(el);
      var url = el.dataset.liveFragment;
      if (!url) { el.dispatchEvent(new CustomEvent('pantau:refresh')); return; }
      fetch(url, { headers: { Accept: 'text/html', 'X-Fragment': '1' }, credentials: 'same-origin' })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          var sel = el.dataset.liveSelect;
          if (sel) { // take one element out of a whole page (no fragment endpoint needed)
            var doc = new DOMParser().parseFromString(html, 'text/html');
            var part = doc.querySelector(sel);
            if (!part) return;
            html = part.innerHTML;
          }
          el.innerHTML = html;
          el.dispatchEvent(new CustomEvent('pantau:updated', { bubbles: true }));
          if (window.PantauCharts) el.querySelectorAll('canvas[data-chart][data-src]').forEach(window.PantauCharts.init);
          if (window.PantauMap) el.querySelectorAll('.map[data-geo]').forEach(window.PantauMap.init);
        }).catch(function () {});
    }, wait));
  }

  // The server does not put the topic in the payload, so elements are grouped by their topic list: one stream per group.
  var groups = {};
  els.forEach(function (el) {
    var key = el.dataset.liveTopics.split(',').map(function (t) { return t.trim(); }).filter(Boolean).sort().join(',');
    (groups[key] = groups[key] || []).push(el);
  });
  var common = 'changed,updated,created,deleted,sheet,sheet-accepted,sheet-flagged,recap,progress,incident,status,tally,incidents,readiness,decision,action';
  var sources = [];
  Object.keys(groups).forEach(function (topics) {
    var members = groups[topics];
    var names = {};
    common.split(',').concat((document.body.dataset.liveEventNames || '').split(',')).forEach(function (n) { if (n) names[n.trim()] = 1; });
    members.forEach(function (el) { (el.dataset.liveEvents || '').split(',').forEach(function (n) { n = n.trim(); if (n) names[n] = 1; }); });
    var delay = 1000, everOpen = false, src = null, timer = null;
    function handle(type) {
      members.forEach(function (el) {
        if (!el.dataset.liveEvents || el.dataset.liveEvents.split(',').map(function (x) { return x.trim(); }).indexOf(type) >= 0) refresh(el);
      });
    }
    function connect() {
      timer = null;
      src = new EventSource('/api/live?topics=' + encodeURIComponent(topics));
      src.addEventListener('ready', function () {
        state('open');
        if (everOpen) members.forEach(refresh); // catch up on what was missed while disconnected
        everOpen = true; delay = 1000;
      });
      src.onmessage = function () { handle('message'); };
      Object.keys(names).forEach(function (n) { src.addEventListener(n, function () { handle(n); }); });
      src.onerror = function () {
        state('closed');
        src.close();
        timer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 60000);
      };
    }
    connect();
    sources.push({ reconnect: function () { if (timer) { clearTimeout(timer); delay = 1000; connect(); } } });
  });
  window.addEventListener('online', function () { sources.forEach(function (s) { s.reconnect(); }); });
  window.PantauLive = { refresh: refresh };
})();

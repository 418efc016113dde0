/*
 * Pantau service worker (scope "/"): keeps the C.Hasil entry page and its assets available without a network.
 *  - navigations to /hasil/input...: network first, the cached copy when offline (any query string);
 *  - /css, /js, /lib and the small region/contest lists: served from cache, refreshed in the background;
 *  - everything else (POSTs, /api/live, other pages) goes straight to the network.
 * Sheets entered offline are queued by js/offline-entry.js in IndexedDB, not here.
 */
var CACHE = 'pantau-entry-v1';
var ENTRY = '/hasil/input';
var PRECACHE = [ENTRY, '/css/site.css', '/js/shell.js', '/js/offline-entry.js', '/js/region-picker.js'];

self.addEventListener('install', function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) {
    return Promise.all(PRECACHE.map(function (u) {
      return fetch(u, { credentials: 'same-origin' }).then(function (r) { if (r.ok) return c.put(u, r); }).catch(function () {});
    }));
  }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('pantau-') === 0 && k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function isAsset(url) { return /^\/(css|js|lib)\//.test(url.pathname); }
function isCachedApi(url) { return /^\/api\/(regions(\/|$)|tally\/contests$)/.test(url.pathname); }

self.addEventListener('fetch', function (e) {
  var req = e.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate' && url.pathname.indexOf(ENTRY) === 0) {
    e.respondWith(fetch(req).then(function (r) {
      if (r.ok && !r.redirected) {
        var copy = r.clone(), plain = url.search ? r.clone() : null;
        caches.open(CACHE).then(function (c) { c.put(url.pathname + url.search, copy); if (plain) c.put(ENTRY, plain); });
      }
      return r;
    }).catch(function () {
      return caches.open(CACHE).then(function (c) {
        // exact page, else the form of the same contest for another TPS (offline-entry.js fixes the TPS), else any entry page
        return c.match(url.pathname + url.search).then(function (m) {
          if (m) return m;
          var contest = (url.searchParams.get('contest') || '').toUpperCase();
          return c.keys().then(function (keys) {
            var same = keys.filter(function (k) { var u = new URL(k.url); return u.pathname === ENTRY && contest && (u.searchParams.get('contest') || '').toUpperCase() === contest; })[0];
            return same ? c.match(same) : c.match(ENTRY, { ignoreSearch: true });
          });
        });
      }).then(function (m) { return m || new Response('<!doctype html><meta charset="utf-8"><title>Luring</title><p>Tanpa jaringan / offline.</p>', { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } }); });
    }));
    return;
  }
  if (isAsset(url) || isCachedApi(url)) {
    e.respondWith(caches.open(CACHE).then(function (c) {
      return c.match(req).then(function (hit) {
        var net = fetch(req).then(function (r) { if (r.ok) c.put(req, r.clone()); return r; });
        if (hit) { net.catch(function () {}); return hit; }
        return net.catch(function () { return c.match(req, { ignoreSearch: true }).then(function (m) { return m || Response.error(); }); });
      });
    }));
  }
});

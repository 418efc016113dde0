// Tally results page: live refresh. Subscribes to the server-sent events of the contest (/api/live?topics=tally:CONTEST)
// and reloads (at most every 15 s) when totals of the shown region change; falls back to polling the recap JSON with its ETag.
(function () {
  "use strict";
  var live = document.getElementById("tally-live");
  if (!live || !window.fetch) return;
  var url = live.getAttribute("data-recap");
  var contest = live.getAttribute("data-contest");
  var region = live.getAttribute("data-region");
  var etag = null, pending = false, last = Date.now();
  function check() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, cache: "no-cache" }).then(function (res) {
      if (res.status === 200) {
        var tag = res.headers.get("ETag");
        if (etag && tag && tag !== etag) { window.location.reload(); return; }
        etag = tag;
      }
    }).catch(function () { /* offline: try again later */ });
  }
  function soon() {
    if (pending) return;
    pending = true;
    var wait = Math.max(0, 15000 - (Date.now() - last));
    setTimeout(function () { pending = false; last = Date.now(); check(); }, wait);
  }
  check();
  if (window.EventSource && contest) {
    var es = new EventSource("/api/live?topics=" + encodeURIComponent("tally:" + contest));
    es.addEventListener("totals", function (e) {
      try {
        var data = JSON.parse(e.data);
        if (!data.regions || data.regions.length === 0 || data.regions.some(function (r) { return region.indexOf(r) === 0 || r.indexOf(region) === 0; })) soon();
      } catch (err) { soon(); }
    });
  } else {
    setInterval(check, 30000);
  }
})();

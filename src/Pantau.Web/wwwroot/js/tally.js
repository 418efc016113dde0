// Tally pages: live refresh of the public results (polls the recap JSON with its ETag; reloads when totals change).
// The hook for server-sent events (ILiveUpdates, topic "tally:{contest}") can replace the polling once it exists.
(function () {
  "use strict";
  var live = document.getElementById("tally-live");
  if (!live || !window.fetch) return;
  var url = live.getAttribute("data-recap");
  var etag = null;
  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, cache: "no-cache" }).then(function (res) {
      if (res.status === 200) {
        var tag = res.headers.get("ETag");
        if (etag && tag && tag !== etag) { window.location.reload(); return; }
        etag = tag;
      }
    }).catch(function () { /* offline: try again later */ });
  }
  poll();
  setInterval(poll, 30000);
})();

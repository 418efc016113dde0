// Anomaly markers on the public results page (/hasil/{contest}/{region}): counts of active anomalies per child region from
// /api/tally/anomalies/markers/{contest}/{region} (public, no reasons or names). Reads the contest and region from #tally-live.
(function () {
  "use strict";
  var live = document.getElementById("tally-live");
  if (!live || !window.fetch) return;
  var m = /\/api\/tally\/recap\/([^\/]+)\/([^\/?#]+)/.exec(live.getAttribute("data-recap") || "");
  if (!m) return;
  var en = document.documentElement.lang === "en";
  function marker(c) {
    var span = document.createElement("span");
    span.className = "badge anomaly-marker " + (c.high > 0 ? "bad" : "warn");
    span.textContent = (en ? "anomalies " : "anomali ") + c.count;
    span.title = en ? (c.count + " open anomalies (" + c.high + " high) under review")
                    : (c.count + " anomali aktif (" + c.high + " tinggi) sedang ditinjau");
    return span;
  }
  fetch("/api/tally/anomalies/markers/" + m[1] + "/" + m[2]).then(function (res) {
    return res.ok ? res.json() : null;
  }).then(function (d) {
    if (!d) return;
    var byCode = {};
    d.children.forEach(function (c) { byCode[c.code] = c; });
    var links = document.querySelectorAll("table.grid a[href^='/hasil/']");
    Array.prototype.forEach.call(links, function (a) {
      var code = a.getAttribute("href").split("/").pop();
      var c = byCode[code];
      var row = a.closest("tr");
      if (!c || !c.count || !row || !row.lastElementChild) return;
      row.lastElementChild.appendChild(marker(c));
    });
    if (d.self && d.self.count) live.appendChild(marker(d.self));
  }).catch(function () { /* markers are optional */ });
})();

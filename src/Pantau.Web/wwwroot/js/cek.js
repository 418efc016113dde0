/*
 * /cek: re-checks in the browser, with WebCrypto only, what the server says about a receipt (docs/log-format.md):
 * leaf = SHA-256(0x00 || entry), the RFC 9162 inclusion path up to the root, the root in the signed checkpoint body,
 * and the server's ECDSA P-256 signature on that body (the public key is on the page and at /api/tally/public-key).
 */
(function () {
  'use strict';
  var dataEl = document.getElementById('cek-data'), out = document.getElementById('cek-browser');
  if (!dataEl || !out || !window.crypto || !crypto.subtle) return;
  var d = JSON.parse(dataEl.textContent);
  var enc = new TextEncoder();
  function hex(b) { return Array.from(new Uint8Array(b), function (x) { return x.toString(16).padStart(2, '0'); }).join(''); }
  function unhex(h) { var a = new Uint8Array(h.length / 2); for (var i = 0; i < a.length; i++) a[i] = parseInt(h.substr(i * 2, 2), 16); return a; }
  function unb64(s) { var t = atob(s), a = new Uint8Array(t.length); for (var i = 0; i < t.length; i++) a[i] = t.charCodeAt(i); return a; }
  function cat(x, a, b) { var r = new Uint8Array(1 + a.length + (b ? b.length : 0)); r[0] = x; r.set(a, 1); if (b) r.set(b, 1 + a.length); return r; }
  function sha(u) { return crypto.subtle.digest('SHA-256', u).then(function (h) { return new Uint8Array(h); }); }
  async function check() {
    var leaf = await sha(cat(0, enc.encode(d.entry)));
    if (hex(leaf) !== d.proof.leafHash) return false;
    // RFC 9162 2.1.3.2
    var fn = d.proof.leafIndex, sn = d.proof.treeSize - 1, r = leaf;
    for (var i = 0; i < d.proof.path.length; i++) {
      var p = unhex(d.proof.path[i]);
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await sha(cat(1, p, r));
        if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else r = await sha(cat(1, r, p));
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    if (sn !== 0) return false;
    var cut = d.note.indexOf('\n\n'), body = d.note.substring(0, cut + 1), lines = body.split('\n');
    if (lines[0] !== d.origin || Number(lines[1]) !== d.proof.treeSize || hex(unb64(lines[2])) !== hex(r)) return false;
    var sigLine = d.note.substring(cut + 2).split('\n').filter(function (l) { return l.indexOf('\u2014 ' + d.origin + ' ') === 0; })[0];
    if (!sigLine) return false;
    var raw = unb64(sigLine.split(' ')[2]).slice(4);
    var der = unb64(d.publicKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
    var key = await crypto.subtle.importKey('spki', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, raw, enc.encode(body));
  }
  check().then(function (ok) {
    out.dataset.state = ok ? 'ok' : 'bad';
    out.textContent = document.getElementById(ok ? 'cek-msg-ok' : 'cek-msg-bad').textContent;
  }, function () { out.dataset.state = 'bad'; out.textContent = document.getElementById('cek-msg-bad').textContent; });
})();

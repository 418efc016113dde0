// Scanning QR logistics labels into the handover form (issue 26.4). The camera is read with the browser's BarcodeDetector where it
// exists and with the vendored jsQR (wwwroot/lib/jsqr) otherwise; a photo of a label and a typed code work the same way. Each label is
// checked at once by the server (POST /api/readiness/logistics/shipments/{code}/scan) and shown accepted or refused with its reason;
// only accepted labels become hidden "Labels" fields of the form, and the server checks them all again when the form is saved.
(function () {
  'use strict';
  var root = document.getElementById('label-scan');
  if (!root) return;
  var en = document.documentElement.lang === 'en';
  var shipment = document.getElementById('Shipment');
  var list = document.getElementById('scanned');
  var inputs = document.getElementById('scanned-inputs');
  var status = document.getElementById('scan-status');
  var video = document.getElementById('scan-video');
  var camera = document.getElementById('scan-camera');
  var photo = document.getElementById('label-photo');
  var manual = document.getElementById('label-manual');
  var addManual = document.getElementById('label-add');
  var prefix = 'PANTAU-LOG1:';
  var accepted = [];
  var pending = {};
  var csrf = null;
  var detector = ('BarcodeDetector' in window) ? new window.BarcodeDetector({ formats: ['qr_code'] }) : null;

  function say(text, bad) { status.textContent = text; status.className = bad ? 'error' : 'notice'; }
  function bare(text) { var t = (text || '').trim(); return t.indexOf(prefix) === 0 ? t.slice(prefix.length) : t; }
  function getCsrf() {
    if (csrf) return Promise.resolve(csrf);
    return fetch('/api/account/csrf', { credentials: 'same-origin', headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : {}; }).then(function (c) { csrf = c; return c; });
  }

  function show(code, ok, message) {
    var li = document.createElement('li');
    li.className = ok ? 'scan-ok' : 'scan-bad';
    li.setAttribute('data-label', code);
    li.textContent = (ok ? '\u2713 ' : '\u2717 ') + code + (message ? ' \u2014 ' + message : '');
    if (!ok) li.setAttribute('role', 'alert');
    list.insertBefore(li, list.firstChild);
  }

  function scanned(text) {
    var code = bare(text).toUpperCase();
    if (!code) return;
    if (code.indexOf('S-') === 0) { // the shipment's own label
      shipment.value = code;
      say((en ? 'Shipment ' : 'Pengiriman ') + code + (en ? ': now scan each box.' : ': sekarang pindai setiap kotak.'), false);
      return;
    }
    if (!shipment.value) { say(en ? 'Scan the shipment label first.' : 'Pindai label pengiriman terlebih dahulu.', true); return; }
    if (pending[code] || accepted.indexOf(code) >= 0) return; // the camera sees the same label many times a second
    pending[code] = true;
    getCsrf().then(function (c) {
      var headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
      if (c && c.token) headers[c.headerName || 'X-CSRF-TOKEN'] = c.token;
      return fetch('/api/readiness/logistics/shipments/' + encodeURIComponent(shipment.value) + '/scan', {
        method: 'POST', credentials: 'same-origin', headers: headers, body: JSON.stringify({ label: text, already: accepted })
      });
    }).then(function (r) {
      return r.json().then(function (b) { return { status: r.status, body: b }; });
    }).then(function (res) {
      delete pending[code];
      if (res.status !== 200) { show(code, false, res.body.detail || String(res.status)); return; }
      var v = res.body;
      if (v.accepted) {
        accepted.push(v.code);
        var input = document.createElement('input');
        input.type = 'hidden'; input.name = 'Labels'; input.value = v.code;
        inputs.appendChild(input);
        show(v.code, true, '');
        say((en ? 'Accepted: ' : 'Diterima: ') + accepted.length + (en ? ' labels.' : ' label.'), false);
      } else {
        show(v.code || code, false, en ? v.messageEn : v.messageId);
        say(en ? v.messageEn : v.messageId, true);
      }
    }).catch(function () {
      delete pending[code];
      say(en ? 'No connection: the label was not checked; try again.' : 'Tidak ada koneksi: label belum diperiksa; coba lagi.', true);
    });
  }

  var canvas = document.createElement('canvas');
  function decodeFrom(source, w, h) {
    if (detector) return detector.detect(source).then(function (codes) { return codes.length ? codes[0].rawValue : null; })
      .catch(function () { detector = null; return withJsQr(source, w, h); }); // present but without QR support on this platform
    return withJsQr(source, w, h);
  }
  function withJsQr(source, w, h) {
    canvas.width = w; canvas.height = h;
    var ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(source, 0, 0, w, h);
    var img = ctx.getImageData(0, 0, w, h);
    var found = window.jsQR ? window.jsQR(img.data, w, h) : null;
    return Promise.resolve(found ? found.data : null);
  }

  var stream = null;
  function tick() {
    if (!stream) return;
    if (video.readyState >= 2) {
      decodeFrom(video, video.videoWidth, video.videoHeight).then(function (t) { if (t) scanned(t); })
        .finally(function () { setTimeout(tick, 250); });
    } else setTimeout(tick, 250);
  }
  camera.addEventListener('click', function () {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; video.hidden = true; camera.textContent = camera.dataset.start; return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { say(en ? 'This browser has no camera access: take a photo of the label instead.' : 'Peramban ini tidak dapat memakai kamera: ambil foto label saja.', true); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(function (s) {
      stream = s; video.srcObject = s; video.hidden = false; video.play(); camera.textContent = camera.dataset.stop; tick();
    }).catch(function () { say(en ? 'The camera was refused: take a photo of the label instead.' : 'Kamera ditolak: ambil foto label saja.', true); });
  });

  photo.addEventListener('change', function () {
    Array.prototype.forEach.call(photo.files, function (file) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, 1600 / Math.max(img.naturalWidth, img.naturalHeight));
        decodeFrom(img, Math.round(img.naturalWidth * scale), Math.round(img.naturalHeight * scale)).then(function (t) {
          URL.revokeObjectURL(url);
          if (t) scanned(t); else say(en ? 'No QR code found in the photo: take it closer and straight on.' : 'Kode QR tidak terbaca di foto: ambil lebih dekat dan tegak lurus.', true);
        });
      };
      img.src = url;
    });
    photo.value = '';
  });

  function typed() { if (manual.value.trim()) { scanned(manual.value.trim()); manual.value = ''; } }
  addManual.addEventListener('click', typed);
  manual.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); typed(); } });
})();

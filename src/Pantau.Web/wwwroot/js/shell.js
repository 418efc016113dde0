/*
 * Pantau shell (tiny, optional): the menu works without it (CSS checkbox toggle). This adds:
 *  - Escape closes the open menu; aria-expanded on the toggle;
 *  - <button data-print> prints the page;
 *  - [data-confirm="question"] on a form or button asks before submitting;
 *  - photos are made small on the phone before upload (see shrink below);
 *  - a form is not sent twice by a double tap (a second submit while the first is under way is ignored).
 */
(function () {
  'use strict';
  var id = (document.documentElement.lang || 'id') !== 'en';
  var t = document.getElementById('nav-toggle');
  if (t) {
    var sync = function () { t.setAttribute('aria-expanded', t.checked ? 'true' : 'false'); };
    sync();
    t.addEventListener('change', sync);
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && t.checked) { t.checked = false; sync(); t.focus(); }
    });
  }
  /*
   * Menu groups on a desktop: the CSS opens a group on hover and keyboard focus; a tap or click on its label opens or closes it
   * (aria-expanded), Escape or a click elsewhere closes it. On a phone the entries are always listed under their group's heading.
   */
  var wide = window.matchMedia ? window.matchMedia('(min-width: 48rem)') : { matches: true, addEventListener: function () {} };
  var groups = Array.prototype.slice.call(document.querySelectorAll('.nav-group'));
  function syncGroups() {
    groups.forEach(function (g) {
      var b = g.querySelector('.nav-group-label'); if (!b) return;
      if (wide.matches) b.setAttribute('aria-expanded', g.classList.contains('open') ? 'true' : 'false'); else b.removeAttribute('aria-expanded');
    });
  }
  function setGroup(g, open) { g.classList.toggle('open', open); g.classList.toggle('closed', !open); syncGroups(); }
  syncGroups();
  if (wide.addEventListener) wide.addEventListener('change', syncGroups);
  document.addEventListener('click', function (e) {
    var label = e.target.closest && e.target.closest('.nav-group-label');
    groups.forEach(function (g) {
      if (label && g.contains(label)) { if (wide.matches) setGroup(g, !g.classList.contains('open')); }
      else if (g.classList.contains('open') && !g.contains(e.target)) { g.classList.remove('open'); syncGroups(); }
    });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape' || !wide.matches) return;
    groups.forEach(function (g) {
      var inside = g.contains(document.activeElement);
      if (!inside && !g.classList.contains('open')) return;
      setGroup(g, false);
      var b = g.querySelector('.nav-group-label'); if (b && inside) b.focus();
    });
  });
  groups.forEach(function (g) {
    g.addEventListener('mouseleave', function () { if (!g.contains(document.activeElement)) g.classList.remove('closed'); });
    g.addEventListener('focusout', function (e) { if (!g.contains(e.relatedTarget)) { g.classList.remove('closed', 'open'); syncGroups(); } });
  });

  document.addEventListener('click', function (e) {
    var p = e.target.closest && e.target.closest('[data-print]');
    if (p) { e.preventDefault(); window.print(); }
    var c = e.target.closest && e.target.closest('button[data-confirm]');
    if (c && !window.confirm(c.getAttribute('data-confirm'))) e.preventDefault();
  });

  /*
   * Photos are re-encoded on the phone before they are sent: an image picked in a file input is drawn on a canvas at most
   * MAX px on its long side and encoded as JPEG, a few hundred KB instead of a camera's 3-5 MB, so a KPPS on a slow network
   * can send it. A PDF, a file the browser cannot decode (HEIC), an image already small, or a re-encode that is not smaller is
   * sent as it is. An input with data-keep-original is never touched. The server still checks type and size of whatever arrives.
   */
  var MAX = 1600, QUALITY = 0.82, SMALL = 350 * 1024;
  var pending = [];
  function kb(n) { return new Intl.NumberFormat(id ? 'id-ID' : 'en', { maximumFractionDigits: 1 }).format(n >= 1048576 ? n / 1048576 : n / 1024) + (n >= 1048576 ? ' MB' : ' KB'); }
  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) { resolve(file); return; }
      createImageBitmap(file, { imageOrientation: 'from-image' }).then(function (bmp) {
        var s = Math.min(1, MAX / Math.max(bmp.width, bmp.height));
        if (s === 1 && file.size <= SMALL) { resolve(file); return; }
        var c = document.createElement('canvas');
        c.width = Math.max(1, Math.round(bmp.width * s)); c.height = Math.max(1, Math.round(bmp.height * s));
        var g = c.getContext('2d');
        g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height); // a PNG's transparency becomes white, not black
        g.imageSmoothingQuality = 'high';
        g.drawImage(bmp, 0, 0, c.width, c.height);
        if (bmp.close) bmp.close();
        c.toBlob(function (b) {
          if (!b || b.size >= file.size) { resolve(file); return; }
          resolve(new File([b], file.name.replace(/\.[^.]*$/, '') + '.jpg', { type: 'image/jpeg', lastModified: file.lastModified }));
        }, 'image/jpeg', QUALITY);
      }, function () { resolve(file); });
    });
  }
  function note(input, text) {
    var n = input.nextElementSibling;
    if (!n || !n.classList.contains('upload-note')) {
      n = document.createElement('small'); n.className = 'upload-note'; n.setAttribute('role', 'status');
      input.parentNode.insertBefore(n, input.nextSibling);
    }
    n.textContent = text;
  }
  document.addEventListener('change', function (e) {
    var input = e.target;
    if (!input.matches || !input.matches('input[type=file]') || input.hasAttribute('data-keep-original') || !window.DataTransfer) return;
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.some(function (f) { return /^image\//.test(f.type); })) return;
    note(input, id ? 'Memperkecil foto…' : 'Making the photo smaller…');
    var job = Promise.all(files.map(shrink)).then(function (out) {
      var dt = new DataTransfer(), before = 0, after = 0;
      out.forEach(function (f, i) { dt.items.add(f); before += files[i].size; after += f.size; });
      input.files = dt.files;
      input.setAttribute('data-shrunk', String(after));
      note(input, after < before
        ? (id ? 'Foto diperkecil: ' : 'Photo made smaller: ') + kb(before) + ' → ' + kb(after)
        : (id ? 'Berkas dikirim apa adanya: ' : 'File sent as it is: ') + kb(after));
    }, function () { note(input, ''); });
    pending.push(job);
    job.then(function () { pending.splice(pending.indexOf(job), 1); }, function () { pending.splice(pending.indexOf(job), 1); });
  });

  // Submit: wait for photos still being made smaller; then refuse a second submit of the same form while the first is under way.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (e.defaultPrevented || form.target === '_blank') return;
    if (pending.length) {
      e.preventDefault();
      var submitter = e.submitter;
      Promise.all(pending).then(function () { form.requestSubmit ? form.requestSubmit(submitter || undefined) : form.submit(); });
      return;
    }
    if (form.hasAttribute('data-sending')) { e.preventDefault(); return; }
    form.setAttribute('data-sending', '');
    var b = e.submitter || form.querySelector('button[type=submit],button:not([type])');
    if (b) b.setAttribute('aria-busy', 'true');
    // A form that answers with a download does not leave the page: it can be sent again after a while.
    setTimeout(function () { form.removeAttribute('data-sending'); if (b) b.removeAttribute('aria-busy'); }, 8000);
  });
  window.addEventListener('pageshow', function () {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-sending]'), function (f) { f.removeAttribute('data-sending'); });
  });
})();

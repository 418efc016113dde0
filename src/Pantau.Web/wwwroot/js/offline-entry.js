/*
 * Offline C.Hasil entry. Enhances <form data-offline-entry data-api="/api/tally/sheets"> whose inputs carry the flat field
 * names of the Tally API (contest, tps, p1, p2 ... p0 = kolom kosong, suaraSah, suaraTidakSah, dptL ... ballotsUnused; see
 * Pantau.Core.Tally.SheetFields). Without JavaScript the form simply posts to the server.
 *  1. On submit the C.Hasil arithmetic is checked on the device (same rules, codes and messages as SheetValidator on the
 *     server); mistakes are listed (role=alert) and marked on the fields. The operator can still send a sheet that matches a
 *     wrong paper form on purpose ("kirim apa adanya"): the server then stores it as flagged.
 *  2. The sheet is put in a queue in IndexedDB with a client-generated Idempotency-Key, then sent when there is a network
 *     (at once, on the "online" event, and by retry with backoff 2 s .. 5 min). The same key is used for every retry of
 *     that sheet, so the server counts it exactly once (it answers "replayed" to a repeat).
 *  3. The queue is shown in [data-offline-queue] (created after the form when absent). Once the server acknowledges a queued
 *     sheet, its public log receipt (issue 23) is kept with it and shown: the short code to copy onto paper, its QR code
 *     (/api/tally/receipts/CODE/qr.svg) and a link to /cek.
 *  4. No double submit: the button is disabled from the tap until the server has answered (or the sheet waits in the queue
 *     without a network). Once the server has accepted the sheet, the form says so in [data-entry-result] (with the receipt
 *     code), starts empty, and offers the TPS's next contest (data-next-href on the form). A correction needs its reason: the
 *     reason field is required while "correction" is ticked, and checked before anything is queued.
 * It also registers the service worker (/sw.js) that keeps the entry page and its assets available offline.
 */
(function () {
  'use strict';
  var en = (document.documentElement.lang || 'id') === 'en';
  function T(id, e) { return en ? e : id; }

  // ---- C.Hasil rules (port of Pantau.Core.Tally.SheetValidator; keep in sync) ----
  var FIELDS = [
    ['suaraSah', 'suara sah', 'valid votes'], ['suaraTidakSah', 'suara tidak sah', 'invalid votes'],
    ['dptL', 'DPT laki-laki', 'DPT male'], ['dptP', 'DPT perempuan', 'DPT female'], ['dpt', 'DPT jumlah', 'DPT total'],
    ['dpphL', 'DPPh laki-laki', 'DPPh male'], ['dpphP', 'DPPh perempuan', 'DPPh female'], ['dpph', 'DPPh jumlah', 'DPPh total'],
    ['dptbL', 'DPTb laki-laki', 'DPTb male'], ['dptbP', 'DPTb perempuan', 'DPTb female'], ['dptb', 'DPTb jumlah', 'DPTb total'],
    ['usersDptL', 'pengguna hak pilih DPT laki-laki', 'DPT voters who voted, male'], ['usersDptP', 'pengguna hak pilih DPT perempuan', 'DPT voters who voted, female'],
    ['usersDpt', 'pengguna hak pilih DPT jumlah', 'DPT voters who voted, total'],
    ['usersDpphL', 'pengguna hak pilih DPPh laki-laki', 'DPPh voters who voted, male'], ['usersDpphP', 'pengguna hak pilih DPPh perempuan', 'DPPh voters who voted, female'],
    ['usersDpph', 'pengguna hak pilih DPPh jumlah', 'DPPh voters who voted, total'],
    ['usersDptbL', 'pengguna hak pilih DPTb laki-laki', 'DPTb voters who voted, male'], ['usersDptbP', 'pengguna hak pilih DPTb perempuan', 'DPTb voters who voted, female'],
    ['usersDptb', 'pengguna hak pilih DPTb jumlah', 'DPTb voters who voted, total'],
    ['disabledL', 'pengguna hak pilih disabilitas laki-laki', 'disabled voters who voted, male'], ['disabledP', 'pengguna hak pilih disabilitas perempuan', 'disabled voters who voted, female'],
    ['disabled', 'pengguna hak pilih disabilitas jumlah', 'disabled voters who voted, total'],
    ['ballotsReceived', 'surat suara diterima', 'ballots received'], ['ballotsUsed', 'surat suara digunakan', 'ballots used'],
    ['ballotsDamaged', 'surat suara dikembalikan (rusak/keliru coblos)', 'ballots returned (damaged/spoiled)'],
    ['ballotsUnused', 'surat suara tidak digunakan', 'ballots unused'],
    // Sheet version 2 (optional: an empty field is absent and its rules are skipped, as on the server)
    ['disabledRegisteredL', 'pemilih disabilitas terdaftar laki-laki', 'registered disabled voters, male'],
    ['disabledRegisteredP', 'pemilih disabilitas terdaftar perempuan', 'registered disabled voters, female'],
    ['disabledRegistered', 'pemilih disabilitas terdaftar jumlah', 'registered disabled voters, total'],
    ['votersL', 'jumlah pemilih (DPT + DPPh + DPTb) laki-laki', 'all voters (DPT + DPPh + DPTb), male'],
    ['votersP', 'jumlah pemilih (DPT + DPPh + DPTb) perempuan', 'all voters (DPT + DPPh + DPTb), female'],
    ['voters', 'jumlah pemilih (DPT + DPPh + DPTb)', 'all voters (DPT + DPPh + DPTb), total'],
    ['usersL', 'jumlah pengguna hak pilih laki-laki', 'all voters who voted, male'], ['usersP', 'jumlah pengguna hak pilih perempuan', 'all voters who voted, female'],
    ['users', 'jumlah pengguna hak pilih', 'all voters who voted, total'], ['suaraTotal', 'jumlah suara sah dan tidak sah', 'valid and invalid votes, total']
  ];
  var OPTIONAL = { disabledRegisteredL: 1, disabledRegisteredP: 1, disabledRegistered: 1, votersL: 1, votersP: 1, voters: 1, usersL: 1, usersP: 1, users: 1, suaraTotal: 1 };
  // Pemilu names (C.Hasil-PPWP): the DPPh column is called DPTb and the DPTb column DPK (SheetNames.Rename on the server).
  var form0 = document.querySelector('form[data-offline-entry]');
  var pemilu = !!(form0 && form0.getAttribute('data-naming') === 'pemilu');
  function rename(t) { return pemilu ? t.replace(/DPTb/g, '\u0001').replace(/DPPh/g, 'DPTb').replace(/\u0001/g, 'DPK') : t; }
  FIELDS.forEach(function (f) { f[1] = rename(f[1]); f[2] = rename(f[2]); });
  var LABEL = {};
  FIELDS.forEach(function (f) { LABEL[f[0]] = { id: f[1], en: f[2] }; });
  function label(f) {
    if (LABEL[f]) return LABEL[f];
    var m = /^p(\d+)$/i.exec(f);
    if (m) return m[1] === '0' ? { id: 'suara kolom kosong', en: 'kolom kosong votes' } : { id: 'suara paslon ' + m[1], en: 'votes for paslon ' + m[1] };
    return { id: f, en: f };
  }
  function ballotsFor(dpt) { return dpt + Math.floor((dpt * 25 + 999) / 1000); }
  var LP = [['dptL', 'dptP', 'dpt'], ['dpphL', 'dpphP', 'dpph'], ['dptbL', 'dptbP', 'dptb'], ['usersDptL', 'usersDptP', 'usersDpt'],
    ['usersDpphL', 'usersDpphP', 'usersDpph'], ['usersDptbL', 'usersDptbP', 'usersDptb'], ['disabledL', 'disabledP', 'disabled'],
    ['disabledRegisteredL', 'disabledRegisteredP', 'disabledRegistered'], ['votersL', 'votersP', 'voters'], ['usersL', 'usersP', 'users']];
  var UR = [['usersDptL', 'dptL'], ['usersDptP', 'dptP'], ['usersDpt', 'dpt'], ['usersDpphL', 'dpphL'], ['usersDpphP', 'dpphP'], ['usersDpph', 'dpph'],
    ['usersDptbL', 'dptbL'], ['usersDptbP', 'dptbP'], ['usersDptb', 'dptb'],
    ['disabledL', 'disabledRegisteredL', 'DISABLED_GT_REGISTERED'], ['disabledP', 'disabledRegisteredP', 'DISABLED_GT_REGISTERED'], ['disabled', 'disabledRegistered', 'DISABLED_GT_REGISTERED']];
  var WT = [['VOTERS_NE_SUM', 'votersL', ['dptL', 'dpphL', 'dptbL']], ['VOTERS_NE_SUM', 'votersP', ['dptP', 'dpphP', 'dptbP']], ['VOTERS_NE_SUM', 'voters', ['dpt', 'dpph', 'dptb']],
    ['USERS_NE_SUM', 'usersL', ['usersDptL', 'usersDpphL', 'usersDptbL']], ['USERS_NE_SUM', 'usersP', ['usersDptP', 'usersDpphP', 'usersDptbP']],
    ['USERS_NE_SUM', 'users', ['usersDpt', 'usersDpph', 'usersDptb']]];

  /** values: { field: string }. Returns [{ code, fields, id, en }]. */
  function validate(values) {
    var issues = [];
    function add(code, id, e, fields) { issues.push({ code: code, fields: fields, id: id, en: e }); }
    var n = {}, votes = [];
    Object.keys(values).forEach(function (k) {
      var raw = String(values[k] == null ? '' : values[k]).trim();
      var isVote = /^p\d+$/i.test(k);
      if (!isVote && !LABEL[k]) return;
      var l = label(k);
      if (raw === '') { if (isVote) { add('MISSING', l.id + ' belum diisi', l.en + ' is missing', [k]); } if (!OPTIONAL[k]) n[k] = 0; return; }
      if (!/^[+-]?\d+$/.test(raw)) { add('NOT_INTEGER', l.id + ' harus bilangan bulat', l.en + ' must be a whole number', [k]); n[k] = 0; return; }
      n[k] = parseInt(raw, 10);
      if (isVote) votes.push(k);
    });
    FIELDS.forEach(function (f) { if (!(f[0] in n) && !OPTIONAL[f[0]]) n[f[0]] = 0; });
    function has() { for (var i = 0; i < arguments.length; i++) if (!(arguments[i] in n)) return false; return true; }
    // Rule 7
    FIELDS.forEach(function (f) { if (f[0] in n && n[f[0]] < 0) add('NEGATIVE', f[1] + ' tidak boleh negatif', f[2] + ' must not be negative', [f[0]]); });
    votes.sort(function (a, b) { return parseInt(a.slice(1), 10) - parseInt(b.slice(1), 10); });
    votes.forEach(function (v) { if (n[v] < 0) { var l = label(v); add('NEGATIVE', l.id + ' tidak boleh negatif', l.en + ' must not be negative', [v]); } });
    // Rule 1
    var total = votes.reduce(function (s, v) { return s + n[v]; }, 0);
    if (total !== n.suaraSah)
      add('SUM_PASLON_NE_SAH', 'jumlah suara paslon (' + total + ') tidak sama dengan suara sah (' + n.suaraSah + ')',
        'sum of paslon votes (' + total + ') differs from valid votes (' + n.suaraSah + ')', votes.concat(['suaraSah']));
    // Rule 2
    var st = n.suaraSah + n.suaraTidakSah;
    if (st !== n.ballotsUsed)
      add('SAH_TIDAK_SAH_NE_USED', 'suara sah + suara tidak sah (' + st + ') tidak sama dengan surat suara digunakan (' + n.ballotsUsed + ')',
        'valid + invalid votes (' + st + ') differ from ballots used (' + n.ballotsUsed + ')', ['suaraSah', 'suaraTidakSah', 'ballotsUsed']);
    if (has('suaraTotal') && st !== n.suaraTotal)
      add('SAH_TIDAK_SAH_NE_TOTAL', 'suara sah + suara tidak sah (' + st + ') tidak sama dengan jumlah suara sah dan tidak sah (' + n.suaraTotal + ')',
        'valid + invalid votes (' + st + ') differ from valid and invalid votes, total (' + n.suaraTotal + ')', ['suaraSah', 'suaraTidakSah', 'suaraTotal']);
    var users = n.usersDpt + n.usersDpph + n.usersDptb;
    if (has('users', 'suaraTotal') && n.users !== n.suaraTotal)
      add('USERS_NE_TOTAL', label('users').id + ' (' + n.users + ') tidak sama dengan ' + label('suaraTotal').id + ' (' + n.suaraTotal + ')',
        label('users').en + ' (' + n.users + ') differs from ' + label('suaraTotal').en + ' (' + n.suaraTotal + ')', ['users', 'suaraTotal']);
    WT.forEach(function (w) {
      if (!has(w[1])) return;
      var s = w[2].reduce(function (a, f) { return a + n[f]; }, 0);
      if (s !== n[w[1]]) add(w[0], label(w[1]).id + ' (' + n[w[1]] + ') tidak sama dengan ' + w[2].map(function (f) { return label(f).id; }).join(' + ') + ' (' + s + ')',
        label(w[1]).en + ' (' + n[w[1]] + ') differs from ' + w[2].map(function (f) { return label(f).en; }).join(' + ') + ' (' + s + ')', [w[1]].concat(w[2]));
    });
    if (n.ballotsUsed !== users)
      add('USED_NE_USERS', 'surat suara digunakan (' + n.ballotsUsed + ') tidak sama dengan pengguna hak pilih DPT + DPPh + DPTb (' + users + ')',
        'ballots used (' + n.ballotsUsed + ') differ from voters who voted, DPT + DPPh + DPTb (' + users + ')', ['ballotsUsed', 'usersDpt', 'usersDpph', 'usersDptb']);
    // Rule 3
    LP.forEach(function (t) {
      if (!has(t[0], t[1], t[2])) return;
      var s = n[t[0]] + n[t[1]];
      if (s !== n[t[2]]) add('LP_NE_TOTAL', label(t[0]).id + ' + ' + label(t[1]).id + ' (' + s + ') tidak sama dengan ' + label(t[2]).id + ' (' + n[t[2]] + ')',
        label(t[0]).en + ' + ' + label(t[1]).en + ' (' + s + ') differ from ' + label(t[2]).en + ' (' + n[t[2]] + ')', t.slice());
    });
    // Rule 4
    UR.forEach(function (p) {
      if (has(p[0], p[1]) && n[p[0]] > n[p[1]]) add(p[2] || 'USERS_GT_REGISTERED', label(p[0]).id + ' (' + n[p[0]] + ') melebihi ' + label(p[1]).id + ' (' + n[p[1]] + ')',
        label(p[0]).en + ' (' + n[p[0]] + ') exceeds ' + label(p[1]).en + ' (' + n[p[1]] + ')', p.slice());
    });
    var uL = n.usersDptL + n.usersDpphL + n.usersDptbL, uP = n.usersDptP + n.usersDpphP + n.usersDptbP;
    [['disabledL', uL, 'pengguna hak pilih laki-laki', 'male voters who voted'], ['disabledP', uP, 'pengguna hak pilih perempuan', 'female voters who voted'],
      ['disabled', users, 'pengguna hak pilih', 'voters who voted']].forEach(function (d) {
      if (n[d[0]] > d[1]) add('DISABLED_GT_USERS', label(d[0]).id + ' (' + n[d[0]] + ') melebihi ' + d[2] + ' (' + d[1] + ')',
        label(d[0]).en + ' (' + n[d[0]] + ') exceeds ' + d[3] + ' (' + d[1] + ')', [d[0]]);
    });
    // Rule 5 (ballots received = DPT + 2.5 %) is a warning the server records, not an error: reserves move between TPS.
    // Rule 6
    var sum = n.ballotsUsed + n.ballotsDamaged + n.ballotsUnused;
    if (n.ballotsReceived !== sum)
      add('RECEIVED_NE_USED_RETURNED_UNUSED', 'surat suara diterima (' + n.ballotsReceived + ') tidak sama dengan digunakan + dikembalikan + tidak digunakan (' + sum + ')',
        'ballots received (' + n.ballotsReceived + ') differ from used + returned + unused (' + sum + ')', ['ballotsReceived', 'ballotsUsed', 'ballotsDamaged', 'ballotsUnused']);
    return issues;
  }

  // ---- IndexedDB queue ----
  var DB = 'pantau-offline', STORE = 'sheets';
  function openDb() {
    return new Promise(function (resolve, reject) {
      var r = indexedDB.open(DB, 1);
      r.onupgradeneeded = function () { r.result.createObjectStore(STORE, { keyPath: 'key' }); };
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }
  function tx(mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), store = t.objectStore(STORE), out;
        var req = fn(store);
        if (req) req.onsuccess = function () { out = req.result; };
        t.oncomplete = function () { db.close(); resolve(out); };
        t.onerror = t.onabort = function () { db.close(); reject(t.error); };
      });
    });
  }
  var queue = {
    all: function () { return tx('readonly', function (s) { return s.getAll(); }).then(function (xs) { return (xs || []).sort(function (a, b) { return a.createdAt - b.createdAt; }); }); },
    put: function (x) { return tx('readwrite', function (s) { return s.put(x); }); },
    remove: function (key) { return tx('readwrite', function (s) { return s.delete(key); }); }
  };
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // ---- Sending: one sender at a time per page (and per browser with Web Locks), same key on every retry ----
  var api = '/api/tally/sheets', sending = false, backoff = 2000, timer = null, onChange = function () {};
  function schedule(ms) { clearTimeout(timer); timer = setTimeout(flush, ms); }
  var csrf = null; // { headerName, token } from GET /api/account/csrf, fetched fresh before each round of sending
  function getCsrf() {
    return fetch('/api/account/csrf', { credentials: 'same-origin', headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) return { signedOut: true };
        if (r.status === 404) return {}; // no CSRF endpoint on this server: send without the header
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
  }
  function sendOne(item) {
    var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json', 'Idempotency-Key': item.key };
    if (csrf && csrf.token) headers[csrf.headerName || 'X-CSRF-TOKEN'] = csrf.token;
    return fetch(item.api || api, {
      method: 'POST', credentials: 'same-origin', redirect: 'manual',
      headers: headers,
      body: JSON.stringify(item.body)
    }).then(function (r) {
      return r.text().then(function (text) {
        var body = null; try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        return { status: r.status, body: body };
      });
    });
  }
  function problemText(b) {
    if (!b) return '';
    if (b.errors) return Object.keys(b.errors).map(function (k) { return k + ': ' + [].concat(b.errors[k]).join(', '); }).join('; ');
    return b.detail || b.error || b.title || '';
  }
  function flushLocked() {
    return queue.all().then(function (items) {
      var todo = items.filter(function (x) { return x.state === 'queued'; });
      if (!todo.length) return true;
      return getCsrf().then(function (c) {
        if (c && c.signedOut) {
          todo.forEach(function (item) { item.message = T('Sesi berakhir: masuk lagi, antrean tetap tersimpan.', 'Session ended: sign in again, the queue is kept.'); });
          return Promise.all(todo.map(queue.put)).then(function () { return false; });
        }
        csrf = c;
        return sendAll(todo);
      }, function () { return false; }); // offline: try later
    });
  }
  function sendAll(todo) {
    {
      var chain = Promise.resolve(true);
      todo.forEach(function (item) {
        chain = chain.then(function (go) {
          if (!go) return false;
          item.tries = (item.tries || 0) + 1; item.lastTry = Date.now();
          return sendOne(item).then(function (res) {
            if (res.status >= 200 && res.status < 300) {
              item.state = 'sent'; item.outcome = (res.body && res.body.outcome) || 'accepted'; item.status = res.body && res.body.status;
              item.versionNo = res.body && res.body.versionNo; item.issues = (res.body && res.body.issues) || []; item.sentAt = Date.now();
              item.receipt = (res.body && res.body.receipt) || null;
              item.message = '';
              return queue.put(item).then(function () { return true; });
            }
            if (res.status === 401 || res.status === 419 || res.status === 0) { // signed out: keep it, ask to sign in
              item.message = T('Sesi berakhir: masuk lagi, antrean tetap tersimpan.', 'Session ended: sign in again, the queue is kept.');
              return queue.put(item).then(function () { return false; });
            }
            if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
              item.state = 'rejected'; item.message = problemText(res.body) || ('HTTP ' + res.status);
              return queue.put(item).then(function () { return true; });
            }
            item.message = 'HTTP ' + res.status;
            return queue.put(item).then(function () { return false; });
          }, function () { // network error: stop, retry later
            item.message = T('Belum terkirim: menunggu jaringan.', 'Not sent yet: waiting for a network.');
            return queue.put(item).then(function () { return false; });
          });
        });
      });
      return chain;
    }
  }
  function flush() {
    if (sending) return Promise.resolve();
    sending = true;
    var run = navigator.locks && navigator.locks.request ? navigator.locks.request('pantau-offline-send', flushLocked) : flushLocked();
    return Promise.resolve(run).then(function (allOk) {
      sending = false; onChange();
      return queue.all().then(function (items) {
        var left = items.some(function (x) { return x.state === 'queued'; });
        if (!left) { backoff = 2000; return; }
        if (allOk === false) { schedule(backoff); backoff = Math.min(backoff * 2, 300000); }
        else schedule(0);
      });
    }, function () { sending = false; onChange(); schedule(backoff); backoff = Math.min(backoff * 2, 300000); });
  }
  window.addEventListener('online', function () { backoff = 2000; flush(); });

  // ---- Form ----
  function collect(form) {
    var values = {};
    new FormData(form).forEach(function (v, k) {
      // The page's own idempotency key is not used: the page may come from the offline cache; each queued sheet gets its own.
      if (typeof v !== 'string' || k === '__RequestVerificationToken' || k === 'handler' || k === 'idempotencyKey') return;
      values[k] = v.trim();
    });
    return values;
  }
  function fieldOf(form, name) { return form.querySelector('[name="' + name + '"]'); }
  /** A correction must name its reason (the server refuses it otherwise: REASON_REQUIRED). */
  function reasonIssue(values) {
    return values.correction === 'true' && !values.reason
      ? [{ code: 'REASON_REQUIRED', fields: ['reason'], id: 'alasan wajib diisi untuk perbaikan', en: 'a correction needs a reason' }] : [];
  }
  function clearMarks(form) {
    form.querySelectorAll('[aria-invalid=true]').forEach(function (i) { i.removeAttribute('aria-invalid'); });
    form.querySelectorAll('.field-error[data-offline]').forEach(function (e) { e.remove(); });
  }
  function showIssues(form, box, issues) {
    clearMarks(form);
    box.innerHTML = '';
    if (!issues.length) { box.hidden = true; return; }
    var h = document.createElement('p');
    h.innerHTML = '<strong></strong>';
    h.firstChild.textContent = T('Periksa kembali isian C.Hasil (' + issues.length + ' kesalahan hitungan):', 'Check the C.Hasil figures (' + issues.length + ' arithmetic mistakes):');
    var ul = document.createElement('ul');
    var seen = {};
    issues.forEach(function (i) {
      var li = document.createElement('li'); li.dataset.code = i.code; li.textContent = en ? i.en : i.id;
      var first = i.fields.map(function (f) { return fieldOf(form, f); }).filter(Boolean)[0];
      if (first && first.id) { var a = document.createElement('a'); a.href = '#' + first.id; a.textContent = li.textContent; li.textContent = ''; li.appendChild(a); }
      ul.appendChild(li);
      i.fields.forEach(function (f) {
        var el = fieldOf(form, f); if (!el) return;
        el.setAttribute('aria-invalid', 'true');
        if (!seen[f]) {
          seen[f] = 1;
          var m = document.createElement('span'); m.className = 'field-error'; m.dataset.offline = '1'; m.id = (el.id || f) + '-err';
          m.textContent = en ? i.en : i.id;
          el.insertAdjacentElement('afterend', m);
          el.setAttribute('aria-describedby', ((el.getAttribute('aria-describedby') || '').replace(m.id, '') + ' ' + m.id).trim());
        }
      });
    });
    box.appendChild(h); box.appendChild(ul);
    var force = document.createElement('button');
    force.type = 'button'; force.className = 'secondary'; force.dataset.force = '1';
    force.textContent = T('Kirim apa adanya (sesuai kertas; akan ditandai untuk diperiksa)', 'Send as is (matches the paper; it will be flagged for review)');
    box.appendChild(force);
    box.hidden = false;
    box.focus();
  }
  var OUTCOME = {
    accepted: ['diterima', 'accepted', 'ok'], flagged: ['ditandai (perlu diperiksa)', 'flagged (needs review)', 'warn'],
    conflict: ['konflik dengan kiriman lain', 'conflicts with another submission', 'warn'], confirmed: ['sama dengan versi yang ada', 'same as the current version', 'ok'],
    replayed: ['sudah diterima sebelumnya', 'already received', 'ok']
  };
  /** The public log receipt of an acknowledged sheet: code for paper, QR code of its check address, link to /cek. */
  function receiptOf(r) {
    var box = document.createElement('div'); box.className = 'receipt'; box.dataset.code = r.code; box.dataset.seq = String(r.seq);
    var p = document.createElement('p');
    p.appendChild(document.createTextNode(T('Tanda terima log publik (salin ke kertas): ', 'Public log receipt (copy onto paper): ')));
    var code = document.createElement('strong'); code.className = 'receipt-code'; code.textContent = r.code; p.appendChild(code);
    box.appendChild(p);
    var img = document.createElement('img'); img.className = 'receipt-qr'; img.width = 132; img.height = 132;
    img.alt = T('Kode QR tanda terima ', 'Receipt QR code ') + r.code; img.src = '/api/tally/receipts/' + encodeURIComponent(r.code) + '/qr.svg';
    box.appendChild(img);
    var a = document.createElement('a'); a.href = '/cek?kode=' + encodeURIComponent(r.code); a.textContent = T('Periksa tanda terima ini', 'Check this receipt');
    var pa = document.createElement('p'); pa.appendChild(a); box.appendChild(pa);
    return box;
  }
  function renderQueue(el) {
    return queue.all().then(function (items) {
      var waiting = items.filter(function (x) { return x.state === 'queued'; }).length;
      el.innerHTML = '';
      var h = document.createElement('h2'); h.textContent = T('Antrean kiriman di perangkat ini', 'Sheets queued on this device'); el.appendChild(h);
      var p = document.createElement('p'); p.className = 'offline-summary'; p.dataset.waiting = String(waiting);
      p.textContent = (navigator.onLine ? T('Daring. ', 'Online. ') : T('Luring (tanpa jaringan). ', 'Offline (no network). ')) +
        (waiting ? T(waiting + ' lembar menunggu dikirim.', waiting + ' sheet(s) waiting to be sent.') : T('Tidak ada yang menunggu.', 'Nothing waiting.'));
      el.appendChild(p);
      if (!items.length) return;
      var ul = document.createElement('ul'); ul.className = 'offline-queue';
      items.slice().reverse().forEach(function (x) {
        var li = document.createElement('li'); li.dataset.key = x.key; li.dataset.state = x.state; li.dataset.outcome = x.outcome || '';
        var o = x.state === 'sent' ? (OUTCOME[x.outcome] || [x.outcome, x.outcome, 'ok']) : x.state === 'rejected' ? ['ditolak', 'rejected', 'bad'] : ['menunggu', 'waiting', 'warn'];
        var b = document.createElement('span'); b.className = 'badge ' + o[2]; b.textContent = en ? o[1] : o[0];
        var t = document.createElement('span');
        t.textContent = 'TPS ' + (x.body.tps || '?') + ' · ' + (x.body.contest || '?') + ' · ' + new Date(x.createdAt).toLocaleTimeString(en ? 'en-GB' : 'id-ID') +
          (x.tries ? ' · ' + T('percobaan ', 'tries ') + x.tries : '') + (x.message ? ' · ' + x.message : '');
        li.appendChild(b); li.appendChild(document.createTextNode(' ')); li.appendChild(t);
        if (x.state === 'sent' && x.receipt && /^[0-9]+-[0-9A-F]{8}$/.test(x.receipt.code)) li.appendChild(receiptOf(x.receipt));
        if (x.state !== 'queued') {
          var del = document.createElement('button'); del.type = 'button'; del.className = 'link'; del.dataset.remove = x.key;
          del.textContent = T('hapus dari daftar', 'remove from list'); li.appendChild(document.createTextNode(' ')); li.appendChild(del);
        }
        ul.appendChild(li);
      });
      el.appendChild(ul);
    });
  }

  function init(form) {
    if (form.dataset.offlineReady) return;
    form.dataset.offlineReady = '1';
    api = form.dataset.api || api;
    form.noValidate = true;
    var box = document.createElement('div');
    box.className = 'error offline-errors'; box.setAttribute('role', 'alert'); box.tabIndex = -1; box.hidden = true;
    form.insertBefore(box, form.firstChild);
    var q = document.querySelector('[data-offline-queue]');
    if (!q) { q = document.createElement('section'); q.setAttribute('data-offline-queue', ''); q.className = 'card'; q.setAttribute('aria-live', 'polite'); form.insertAdjacentElement('afterend', q); }
    var note = document.createElement('p'); note.className = 'notice offline-note'; note.setAttribute('role', 'status'); note.hidden = true;
    form.insertAdjacentElement('afterend', note);
    var submit = form.querySelector('button[type=submit]'), pendingKey = null;
    var result = document.createElement('div'); result.className = 'entry-result'; result.setAttribute('data-entry-result', '');
    result.setAttribute('role', 'status'); result.tabIndex = -1; result.hidden = true;
    form.parentNode.insertBefore(result, form);
    function busy(on) {
      if (!submit) return;
      submit.disabled = on;
      if (on) submit.setAttribute('aria-busy', 'true'); else submit.removeAttribute('aria-busy');
    }
    // The reason is required while the sheet is marked as a correction.
    var corr = fieldOf(form, 'correction'), reason = fieldOf(form, 'reason');
    function syncRequired() {
      if (!corr || !reason) return;
      reason.required = corr.checked; reason.setAttribute('aria-required', corr.checked ? 'true' : 'false');
    }
    if (corr) corr.addEventListener('change', syncRequired);
    syncRequired();
    function clearForm() {
      form.querySelectorAll('input').forEach(function (i) {
        if (i.type === 'hidden') return;
        if (i.type === 'checkbox') i.checked = false; else i.value = '';
      });
      clearMarks(form); box.hidden = true; syncRequired();
    }
    function showResult(item) {
      result.innerHTML = '';
      var ok = item.state === 'sent' && (item.outcome === 'accepted' || item.outcome === 'confirmed' || item.outcome === 'replayed');
      result.className = 'entry-result outcome ' + (item.state === 'rejected' ? 'rejected' : item.outcome || '');
      result.dataset.outcome = item.state === 'rejected' ? 'rejected' : (item.outcome || '');
      var p = document.createElement('p'), strong = document.createElement('strong');
      var name = form.dataset.contestName || item.body.contest;
      if (item.state === 'rejected') {
        strong.textContent = T('Ditolak. ', 'Refused. ');
        p.appendChild(strong); p.appendChild(document.createTextNode(item.message || ''));
      } else if (ok) {
        strong.textContent = T('Diterima. ', 'Accepted. ');
        p.appendChild(strong);
        p.appendChild(document.createTextNode(T('C.Hasil TPS ' + item.body.tps + ' (' + name + ') ' + (item.outcome === 'accepted' ? 'tercatat sebagai versi ' + item.versionNo + ' dan dihitung.' : 'sudah tercatat.'),
          'The C.Hasil of TPS ' + item.body.tps + ' (' + name + ') ' + (item.outcome === 'accepted' ? 'is recorded as version ' + item.versionNo + ' and counted.' : 'was already recorded.'))));
      } else {
        strong.textContent = T('Disimpan, belum dihitung. ', 'Stored, not counted yet. ');
        p.appendChild(strong);
        p.appendChild(document.createTextNode(item.outcome === 'conflict'
          ? T('Berbeda dengan kiriman sumber lain; menunggu keputusan.', 'It differs from another source\'s sheet; waiting for adjudication.')
          : T('Ditandai untuk diperiksa; perbaiki bila kertasnya berbeda.', 'Flagged for review; correct it if the paper form differs.')));
      }
      result.appendChild(p);
      if (item.receipt && /^[0-9]+-[0-9A-F]{8}$/.test(item.receipt.code)) {
        var rp = document.createElement('p');
        rp.appendChild(document.createTextNode(T('Kode tanda terima (salin ke kertas): ', 'Receipt code (copy onto paper): ')));
        var code = document.createElement('strong'); code.className = 'receipt-code'; code.textContent = item.receipt.code; rp.appendChild(code);
        result.appendChild(rp);
      }
      if (ok) {
        var np = document.createElement('p'); np.className = 'next-contest';
        if (form.dataset.nextHref) {
          var a = document.createElement('a'); a.className = 'button'; a.id = 'next-contest'; a.href = form.dataset.nextHref;
          a.textContent = T('Lanjut ke pemilihan berikutnya: ', 'Go on to the next contest: ') + (form.dataset.nextName || '');
          np.appendChild(a);
        } else np.textContent = T('Semua pemilihan di TPS ini sudah dikirim.', 'Every contest of this TPS has been sent.');
        result.appendChild(np);
      }
      result.hidden = false;
      result.focus();
      return ok;
    }
    // Follows the sheet this form sent: done once the server has answered, or once it waits in the queue without a network.
    function settle() {
      if (!pendingKey) return;
      return queue.all().then(function (items) {
        var it = items.filter(function (x) { return x.key === pendingKey; })[0];
        if (!it) { pendingKey = null; busy(false); return; }
        if (it.state === 'sent' || it.state === 'rejected') {
          pendingKey = null; note.hidden = true; // the answer replaces "queued and being sent"
          if (showResult(it)) clearForm();
          busy(false);
        } else if (!navigator.onLine || it.tries > 0) { // kept on the device, sent later: the form is free for the next sheet
          pendingKey = null; clearForm(); busy(false);
        }
      });
    }
    onChange = function () { renderQueue(q).then(settle); };
    window.addEventListener('online', onChange); window.addEventListener('offline', onChange);
    q.addEventListener('click', function (e) {
      var k = e.target.closest('[data-remove]'); if (k) queue.remove(k.dataset.remove).then(onChange);
    });
    function enqueue(values) {
      var target = api;
      if (values.correction === 'true' && values.tps && values.contest) // a correction goes to its own endpoint (reason required)
        target = '/api/tally/tps/' + encodeURIComponent(values.tps) + '/' + encodeURIComponent(values.contest) + '/corrections';
      delete values.correction;
      var item = { key: uuid(), api: target, body: values, createdAt: Date.now(), state: 'queued', tries: 0 };
      busy(true); pendingKey = item.key; result.hidden = true;
      return queue.put(item).then(function () {
        note.hidden = false;
        note.textContent = navigator.onLine
          ? T('Lembar TPS ' + values.tps + ' masuk antrean dan sedang dikirim.', 'Sheet for TPS ' + values.tps + ' queued and being sent.')
          : T('Tanpa jaringan: lembar TPS ' + values.tps + ' disimpan di perangkat dan dikirim otomatis saat jaringan kembali.', 'No network: the sheet for TPS ' + values.tps + ' is saved on this device and sent automatically when the network returns.');
        onChange();
        form.dispatchEvent(new CustomEvent('pantau:queued', { bubbles: true, detail: item }));
        if (navigator.onLine) flush(); else schedule(backoff);
      });
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (submit && submit.disabled) return; // a second tap while the first sheet is under way
      var values = collect(form);
      var issues = validate(values).concat(reasonIssue(values));
      showIssues(form, box, issues);
      if (issues.length) return;
      enqueue(values);
    });
    box.addEventListener('click', function (e) {
      if (!e.target.closest('[data-force]')) return;
      var values = collect(form);
      // Shape errors (missing/non-numeric) cannot be sent even on purpose.
      if (validate(values).some(function (i) { return i.code === 'MISSING' || i.code === 'NOT_INTEGER'; }) || reasonIssue(values).length) return;
      clearMarks(form); box.hidden = true; enqueue(values);
    });
    // The service worker may answer offline with the cached form of another TPS of the same contest: follow the address.
    var want = new URLSearchParams(location.search), tpsField = fieldOf(form, 'tps'), contestField = fieldOf(form, 'contest');
    if (want.get('tps') && tpsField && tpsField.type === 'hidden' && tpsField.value !== want.get('tps')) {
      if (!contestField || !want.get('contest') || contestField.value.toUpperCase() === want.get('contest').toUpperCase()) {
        tpsField.value = want.get('tps');
        note.hidden = false;
        note.textContent = T('Formulir luring untuk TPS ' + want.get('tps') + '.', 'Offline form for TPS ' + want.get('tps') + '.');
      } else {
        form.querySelectorAll('button[type=submit]').forEach(function (b) { b.disabled = true; });
        note.hidden = false;
        note.textContent = T('Formulir pemilihan ini belum tersimpan di perangkat; buka sekali saat ada jaringan.', 'The form of this contest is not stored on this device yet; open it once while online.');
      }
    }
    onChange();
    flush();
  }

  function all() { document.querySelectorAll('form[data-offline-entry]').forEach(init); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all); else all();
  if ('serviceWorker' in navigator && document.querySelector('form[data-offline-entry]')) {
    navigator.serviceWorker.register('/sw.js').catch(function () { /* not a secure context: online only */ });
  }
  window.PantauOffline = { validate: validate, flush: flush, queue: queue, ballotsFor: ballotsFor };
})();

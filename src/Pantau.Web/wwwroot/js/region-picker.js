/*
 * Pantau region picker: enhances Pages/Shared/_RegionPicker.cshtml (a plain code input that works without JavaScript)
 * with a search box (name or code, /api/regions/search) and cascading selects
 * provinsi -> kab/kota -> kecamatan -> desa -> TPS (/api/regions, /api/regions/{code}, /api/regions/{desa}/tps).
 * The code input stays the single posted value; choosing anything writes the code into it and fires "change"
 * (and "pantau:region" with detail {code, name, level}). See docs/ui.md.
 */
(function () {
  'use strict';
  var LEVELS = ['provinsi', 'kabkota', 'kecamatan', 'desa', 'tps'];
  var cache = {};
  function get(url) {
    if (!cache[url]) cache[url] = fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .catch(function (e) { delete cache[url]; throw e; });
    return cache[url];
  }
  function levelOf(code) {
    if (!code) return -1;
    if (/^\d{13}$/.test(code)) return 4;
    if (!/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/.test(code)) return -1;
    return code.split('.').length - 1;
  }
  function lineage(code) {
    var out = [];
    if (/^\d{13}$/.test(code)) {
      var d = code.slice(0, 10);
      var desa = d.slice(0, 2) + '.' + d.slice(2, 4) + '.' + d.slice(4, 6) + '.' + d.slice(6, 10);
      out = lineage(desa); out.push(code); return out;
    }
    var parts = code.split('.');
    for (var i = 1; i <= parts.length; i++) out.push(parts.slice(0, i).join('.'));
    return out;
  }
  var uid = 0;

  function init(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = '1';
    var input = box.querySelector('.rp-code');
    var t = function (k) { return box.getAttribute('data-t-' + k) || k; };
    var depth = Math.max(0, LEVELS.indexOf(box.dataset.depth || 'desa'));
    var root = box.dataset.root || '';
    var rootLevel = levelOf(root); // -1: start at the provinces
    var n = ++uid;

    var wrap = document.createElement('div');
    wrap.className = 'rp-enhanced';
    // Search box
    var sid = 'rp' + n + '-search';
    var sl = document.createElement('label'); sl.setAttribute('for', sid); sl.textContent = t('search');
    var search = document.createElement('input');
    search.type = 'search'; search.id = sid; search.className = 'rp-search'; search.autocomplete = 'off';
    search.setAttribute('role', 'combobox'); search.setAttribute('aria-expanded', 'false'); search.setAttribute('aria-controls', sid + '-list');
    search.setAttribute('aria-autocomplete', 'list');
    var list = document.createElement('ul'); list.id = sid + '-list'; list.className = 'rp-results'; list.setAttribute('role', 'listbox'); list.hidden = true;
    var status = document.createElement('p'); status.className = 'hint rp-status'; status.setAttribute('aria-live', 'polite');
    wrap.appendChild(sl); wrap.appendChild(search); wrap.appendChild(list);
    // Cascading selects, one per level below the root, down to the depth.
    var selects = [];
    var grid = document.createElement('div'); grid.className = 'rp-selects';
    for (var lv = rootLevel + 1; lv <= depth; lv++) {
      var f = document.createElement('div');
      var id = 'rp' + n + '-' + LEVELS[lv];
      var l = document.createElement('label'); l.setAttribute('for', id); l.textContent = t(LEVELS[lv]);
      var s = document.createElement('select'); s.id = id; s.disabled = true; s.dataset.level = String(lv);
      f.appendChild(l); f.appendChild(s); grid.appendChild(f);
      selects.push(s);
    }
    wrap.appendChild(grid); wrap.appendChild(status);
    box.insertBefore(wrap, box.querySelector('label[for="' + input.id + '"]') || input);
    box.classList.add('rp-js');

    function childrenOf(code, lv) {
      // lv = level of the children wanted
      if (lv === 0) return get('/api/regions').then(function (xs) { return xs.map(function (x) { return { code: x.code, name: x.name }; }); });
      if (lv === 4) return get('/api/regions/' + encodeURIComponent(code) + '/tps').then(function (xs) {
        return xs.map(function (x) { return { code: x.code, name: 'TPS ' + String(x.number).padStart(3, '0') + ' (DPT ' + x.dpt.toLocaleString('id-ID') + ')' }; });
      });
      return get('/api/regions/' + encodeURIComponent(code)).then(function (d) { return d.children.map(function (x) { return { code: x.code, name: x.name }; }); });
    }
    function fill(sel, items, chosen) {
      sel.innerHTML = '';
      var o = document.createElement('option'); o.value = ''; o.textContent = sel === selects[0] ? t('choose') : t('all'); sel.appendChild(o);
      items.forEach(function (x) {
        var op = document.createElement('option'); op.value = x.code; op.textContent = x.name + ' · ' + x.code;
        if (x.code === chosen) op.selected = true;
        sel.appendChild(op);
      });
      sel.disabled = items.length === 0;
    }
    function clearFrom(i) { for (var j = i; j < selects.length; j++) { selects[j].innerHTML = ''; selects[j].disabled = true; } }
    function load(i, parent, chosen) {
      if (i >= selects.length) return Promise.resolve();
      var sel = selects[i];
      sel.disabled = true;
      return childrenOf(parent, Number(sel.dataset.level)).then(function (items) { fill(sel, items, chosen); status.textContent = ''; })
        .catch(function () { status.textContent = t('offline'); });
    }
    function setValue(code, name) {
      input.value = code;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      box.dispatchEvent(new CustomEvent('pantau:region', { bubbles: true, detail: { code: code, name: name || '', level: LEVELS[levelOf(code)] } }));
      if (box.dataset.autoSubmit && input.form) {
        if (input.form.requestSubmit) input.form.requestSubmit(); else input.form.submit();
      }
    }
    selects.forEach(function (sel, i) {
      sel.addEventListener('change', function () {
        clearFrom(i + 1);
        var code = sel.value;
        if (!code) { // back to the parent level
          var parent = i === 0 ? root : selects[i - 1].value;
          setValue(parent || '', '');
          return;
        }
        setValue(code, sel.options[sel.selectedIndex].text);
        load(i + 1, code, null);
      });
    });
    // Pre-select the current value (or start at the root).
    function syncTo(code) {
      var chain = levelOf(code) >= 0 ? lineage(code).filter(function (c) { return levelOf(c) > rootLevel && (!root || c.indexOf(root) === 0 || c.replace(/\./g, '').indexOf(root.replace(/\./g, '')) === 0); }) : [];
      clearFrom(0);
      var p = load(0, root, chain[0]);
      chain.forEach(function (c, i) { p = p.then(function () { if (i + 1 < selects.length) return load(i + 1, c, chain[i + 1]); }); });
      return p;
    }
    syncTo(input.value.trim());
    input.addEventListener('change', function (e) { if (e.isTrusted) syncTo(input.value.trim()); });

    // Search
    var timer = null, seq = 0;
    function close() { list.hidden = true; search.setAttribute('aria-expanded', 'false'); }
    function show(items) {
      list.innerHTML = '';
      if (!items.length) { var li0 = document.createElement('li'); li0.className = 'rp-none'; li0.textContent = t('none'); list.appendChild(li0); }
      items.forEach(function (x, i) {
        var li = document.createElement('li'); li.setAttribute('role', 'option'); li.id = sid + '-o' + i; li.tabIndex = -1;
        li.dataset.code = x.code; li.dataset.name = x.name;
        li.textContent = x.name + ' — ' + x.label + ' ' + x.code;
        list.appendChild(li);
      });
      list.hidden = false; search.setAttribute('aria-expanded', 'true');
    }
    function choose(li) {
      if (!li || !li.dataset.code) return;
      close(); search.value = li.dataset.name;
      setValue(li.dataset.code, li.dataset.name);
      syncTo(li.dataset.code);
    }
    search.addEventListener('input', function () {
      clearTimeout(timer);
      var q = search.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        var my = ++seq;
        var items = [];
        if (depth === 4 && /^\d{13}$/.test(q)) items.push({ code: q, name: 'TPS ' + q.slice(10), label: 'TPS' });
        get('/api/regions/search?limit=12&q=' + encodeURIComponent(q) + (root ? '&within=' + encodeURIComponent(root) : ''))
          .then(function (xs) {
            if (my !== seq) return;
            xs.forEach(function (x) { var lv = levelOf(x.code); if (lv <= depth) items.push({ code: x.code, name: x.name, label: t(LEVELS[lv]) }); });
            show(items);
          })
          .catch(function () { if (my === seq) show(items); });
      }, 250);
    });
    search.addEventListener('keydown', function (e) {
      var opts = list.querySelectorAll('[role=option]');
      if (e.key === 'ArrowDown' && opts.length) { e.preventDefault(); opts[0].focus(); }
      else if (e.key === 'Enter') { e.preventDefault(); if (opts.length) choose(opts[0]); }
      else if (e.key === 'Escape') close();
    });
    list.addEventListener('keydown', function (e) {
      var cur = document.activeElement;
      if (e.key === 'ArrowDown' && cur.nextElementSibling) { e.preventDefault(); cur.nextElementSibling.focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); (cur.previousElementSibling || search).focus(); }
      else if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); choose(cur); }
      else if (e.key === 'Escape') { close(); search.focus(); }
    });
    list.addEventListener('click', function (e) { choose(e.target.closest('[role=option]')); });
    document.addEventListener('click', function (e) { if (!box.contains(e.target)) close(); });
  }

  function all() { document.querySelectorAll('.region-picker').forEach(init); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all); else all();
  window.PantauRegionPicker = { init: init };
})();

/*
 * Pantau busy forms (optional): a form that takes a while to answer says so while it is being sent.
 *
 *   <form method="post" data-busy="Laporan sedang dibuat…"> ... <button type="submit">Buat</button> </form>
 *
 * On submit (when nothing cancelled it) the form's submit buttons are disabled and a status line is added after the form's last child:
 * an indeterminate <progress> and the message of data-busy (written by the server in the page's language; without a value,
 * a default in the page's language). The form is sent by the browser as usual, so nothing changes without JavaScript. Coming back to
 * the page (back button, bfcache) puts the form back as it was. No inline script or style: CSP-compatible.
 */
(function () {
  'use strict';
  var en = (document.documentElement.lang || 'id').toLowerCase().indexOf('en') === 0;
  var fallback = en ? 'Please wait, this takes a few seconds…' : 'Mohon tunggu, ini memerlukan beberapa detik…';

  function buttons(form) {
    return Array.prototype.slice.call(form.querySelectorAll('button[type=submit],button:not([type]),input[type=submit]'))
      .concat(form.id ? Array.prototype.slice.call(document.querySelectorAll('[form="' + form.id + '"][type=submit]')) : []);
  }

  function start(form) {
    if (form.hasAttribute('data-busy-on')) return;
    form.setAttribute('data-busy-on', '');
    form.setAttribute('aria-busy', 'true');
    buttons(form).forEach(function (b) { if (!b.disabled) { b.disabled = true; b.setAttribute('data-busy-disabled', ''); } });
    var box = document.createElement('p');
    box.className = 'busy-status';
    box.setAttribute('role', 'status');
    box.setAttribute('data-busy-status', '');
    var bar = document.createElement('progress'); // no value: indeterminate
    var text = document.createElement('span');
    text.textContent = form.getAttribute('data-busy') || fallback;
    bar.setAttribute('aria-label', text.textContent);
    box.appendChild(bar);
    box.appendChild(text);
    form.appendChild(box);
  }

  function reset(form) {
    form.removeAttribute('data-busy-on');
    form.removeAttribute('aria-busy');
    buttons(form).forEach(function (b) { if (b.hasAttribute('data-busy-disabled')) { b.disabled = false; b.removeAttribute('data-busy-disabled'); } });
    Array.prototype.forEach.call(form.querySelectorAll('[data-busy-status]'), function (s) { s.parentNode.removeChild(s); });
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute('data-busy')) return;
    // After every other submit handler (shell.js may hold the submit back): the browser has then already taken the form's values,
    // so disabling the button no longer changes what is sent.
    setTimeout(function () { if (!e.defaultPrevented) start(form); }, 0);
  });

  window.addEventListener('pageshow', function () {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-busy-on]'), reset);
  });
})();

/*
 * Pantau shell (tiny, optional): the menu works without it (CSS checkbox toggle). This adds:
 *  - Escape closes the open menu; aria-expanded on the toggle;
 *  - <button data-print> prints the page;
 *  - [data-confirm="question"] on a form or button asks before submitting.
 */
(function () {
  'use strict';
  var t = document.getElementById('nav-toggle');
  if (t) {
    var sync = function () { t.setAttribute('aria-expanded', t.checked ? 'true' : 'false'); };
    sync();
    t.addEventListener('change', sync);
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && t.checked) { t.checked = false; sync(); t.focus(); }
    });
  }
  document.addEventListener('click', function (e) {
    var p = e.target.closest && e.target.closest('[data-print]');
    if (p) { e.preventDefault(); window.print(); }
    var c = e.target.closest && e.target.closest('button[data-confirm]');
    if (c && !window.confirm(c.getAttribute('data-confirm'))) e.preventDefault();
  });
})();

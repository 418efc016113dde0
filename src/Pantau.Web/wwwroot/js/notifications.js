// Notification bell: listens on the user's live topic and re-reads the unread count through the authenticated API.
(function () {
  var bell = document.querySelector('[data-bell]');
  if (!bell || !window.EventSource) return;
  var count = bell.querySelector('[data-bell-count]');
  function refresh() {
    fetch('/api/notifications/unread', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        count.textContent = String(d.count);
        count.hidden = d.count === 0;
        bell.setAttribute('data-unread', String(d.count));
      })
      .catch(function () {});
  }
  var es = new EventSource('/api/live?topics=' + encodeURIComponent('notify:' + bell.getAttribute('data-user')));
  es.addEventListener('notification', refresh);
  es.addEventListener('ready', refresh);
})();

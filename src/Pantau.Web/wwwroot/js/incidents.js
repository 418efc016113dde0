/* Report form: fill latitude/longitude from the device (when the user asks), and narrow the kecamatan list to the chosen kab/kota. */
(function () {
  'use strict';
  var btn = document.getElementById('use-location');
  var lat = document.getElementById('Latitude'), lng = document.getElementById('Longitude');
  if (btn && lat && lng && 'geolocation' in navigator) {
    btn.hidden = false;
    btn.addEventListener('click', function () {
      btn.disabled = true;
      navigator.geolocation.getCurrentPosition(function (p) {
        lat.value = p.coords.latitude.toFixed(5); lng.value = p.coords.longitude.toFixed(5); btn.disabled = false;
      }, function () { btn.disabled = false; }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
    });
  }
  var kab = document.getElementById('KabKota'), kec = document.getElementById('Kecamatan');
  if (kab && kec) {
    var filter = function () {
      var groups = kec.querySelectorAll('optgroup');
      for (var i = 0; i < groups.length; i++) {
        var first = groups[i].querySelector('option');
        var show = !kab.value || (first && first.getAttribute('data-parent') === kab.value);
        groups[i].hidden = !show; groups[i].disabled = !show;
      }
      var sel = kec.options[kec.selectedIndex];
      if (sel && sel.getAttribute('data-parent') && kab.value && sel.getAttribute('data-parent') !== kab.value) kec.value = '';
    };
    kab.addEventListener('change', filter); filter();
  }
})();

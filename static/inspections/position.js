/* With the inspector's consent (the checkbox), the phone's position at filing goes into the
   form's hidden fields; the server keeps it on the report (never in a photo) and measures the
   distance from the facility. Unticked, the fields are emptied and nothing is sent. */
(function () {
  "use strict";
  var box = document.querySelector("input[name=share_position]");
  var status = document.getElementById("position-status");
  if (!box || !status) { return; }
  var form = box.form;
  function set(lat, lng, acc) {
    form.elements.filed_latitude.value = lat;
    form.elements.filed_longitude.value = lng;
    form.elements.filed_accuracy_m.value = acc;
  }
  box.addEventListener("change", function () {
    if (!box.checked) { set("", "", ""); return; }
    if (!navigator.geolocation) { status.textContent = status.getAttribute("data-t-failed"); box.checked = false; return; }
    status.textContent = status.getAttribute("data-t-asking");
    navigator.geolocation.getCurrentPosition(function (where) {
      var c = where.coords;
      set(c.latitude.toFixed(6), c.longitude.toFixed(6), Math.round(c.accuracy || 0));
      status.textContent = status.getAttribute("data-t-found").replace("{n}", Math.round(c.accuracy || 0));
    }, function () {
      set("", "", "");
      box.checked = false;
      status.textContent = status.getAttribute("data-t-failed");
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });
})();

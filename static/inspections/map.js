/* The facilities map (Leaflet, served by this site). With MAP_TILE_URL set, the office's intranet
   tile server draws the ground; without it, the points are drawn over a plain grid of latitude
   and longitude lines, so the page fetches nothing from outside the site. */
(function () {
  "use strict";
  var el = document.getElementById("facility-map");
  if (!el || !window.L) { return; }
  var COLORS = { covered: "#1e7b34", due: "#e0a800", overdue: "#b00020" };
  var note = document.getElementById("facility-map-note");

  function esc(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function link(url, text) { return url ? '<a href="' + esc(url) + '">' + esc(text) + "</a>" : esc(text); }

  function plainGrid(map, bounds) {
    var south = bounds.getSouth(), north = bounds.getNorth(), west = bounds.getWest(), east = bounds.getEast();
    var span = Math.max(north - south, east - west, 0.002);
    var step = Math.pow(10, Math.floor(Math.log(span / 2) / Math.LN10));
    var style = { color: "#c8ced6", weight: 1, interactive: false };
    var lat0 = Math.floor(south / step) * step - step, lat1 = north + step;
    var lng0 = Math.floor(west / step) * step - step, lng1 = east + step;
    for (var lat = lat0; lat <= lat1 + 1e-9; lat += step) { L.polyline([[lat, lng0], [lat, lng1]], style).addTo(map); }
    for (var lng = lng0; lng <= lng1 + 1e-9; lng += step) { L.polyline([[lat0, lng], [lat1, lng]], style).addTo(map); }
    L.rectangle(bounds.pad(0.05), { color: "#7b8794", weight: 1, fill: false, dashArray: "4 4", interactive: false }).addTo(map);
  }

  fetch(el.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var map = L.map(el, { attributionControl: false, zoomSnap: 0.5 });
      var latlngs = [];
      data.facilities.forEach(function (p) { latlngs.push([p.lat, p.lng]); });
      data.orders.forEach(function (o) { latlngs.push([o.lat, o.lng]); });
      if (!latlngs.length) {
        map.setView([36.8, 118.05], 11);
        if (note) { note.textContent = el.getAttribute("data-t-empty"); }
        el.setAttribute("data-ready", "0");
        return;
      }
      var bounds = L.latLngBounds(latlngs);
      if (data.tile_url) { L.tileLayer(data.tile_url, { maxZoom: 19 }).addTo(map); } else { plainGrid(map, bounds); }
      data.facilities.forEach(function (p) {
        L.circleMarker([p.lat, p.lng], { radius: 7, color: "#fff", weight: 1, fillColor: COLORS[p.state], fillOpacity: 0.9, className: "pt-" + p.state })
          .bindPopup(link(p.url, p.name) + "<br>" + esc(p.label) + " · " + esc(el.getAttribute("data-t-due")) + " " + esc(p.due_on))
          .addTo(map);
      });
      data.orders.forEach(function (o) {
        L.circleMarker([o.lat, o.lng], { radius: 12, color: "#5a2ca0", weight: 2, fill: false, className: "pt-order" })
          .bindPopup(link(o.url, el.getAttribute("data-t-order")) + "<br>" + esc(o.name) + " · " + esc(o.status) + " · " + esc(el.getAttribute("data-t-deadline")) + " " + esc(o.deadline))
          .addTo(map);
      });
      map.fitBounds(bounds.pad(0.1), { maxZoom: 17 });
      el.setAttribute("data-ready", String(data.facilities.length + data.orders.length));
    });
})();

/* naikkelas: businesses as points on a Leaflet map (OpenStreetMap tiles when the phone is online). */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var data = document.getElementById("map-points");
  if (!el || !data || !window.L) return;
  var points = JSON.parse(data.textContent);
  if (!points.length) { el.hidden = true; return; }
  var map = L.map(el, {preferCanvas: true});
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap"
  }).addTo(map);
  var colours = {registered: "#f9a825", operating: "#2e7d32", modern: "#1565c0", closed: "#757575"};
  var bounds = [];
  points.forEach(function (p) {
    var m = L.circleMarker([p.lat, p.lon], {radius: 5, color: colours[p.stage] || "#2e7d32", weight: 1, fillOpacity: 0.7});
    m.bindPopup('<a href="/usaha/' + p.id + '/">' + p.name.replace(/[<>&"]/g, "") + "</a>" + (p.last ? "<br>" + p.last : ""));
    m.addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, {maxZoom: 15, padding: [10, 10]});
})();

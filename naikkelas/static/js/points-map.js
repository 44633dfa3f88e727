/* naikkelas: businesses as points on a Leaflet map. Offline by default: the points over the coasts of Indonesia
   (Natural Earth land, served by naikkelas itself: data-basemap) and a grid of latitude and longitude lines;
   with tiles only when the office sets NAIKKELAS_MAP_TILES (data-tiles). */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var data = document.getElementById("map-points");
  if (!el || !data || !window.L) return;
  var points = JSON.parse(data.textContent);
  if (!points.length) { el.hidden = true; return; }
  var map = L.map(el, {preferCanvas: true});
  var tiles = el.getAttribute("data-tiles"), grid = null;
  if (tiles) {
    L.tileLayer(tiles, {maxZoom: 19, attribution: "&copy; OpenStreetMap"}).addTo(map);
  } else {
    el.style.background = "#dbe9f4";  // the sea
    var basemap = el.getAttribute("data-basemap");
    if (basemap && window.fetch) {
      fetch(basemap).then(function (r) { return r.ok ? r.json() : null; }).then(function (land) {
        if (!land) return;
        // Its own pane under the points and the grid, drawn on its own canvas.
        map.createPane("land").style.zIndex = 350;
        L.geoJSON(land, {pane: "land", renderer: L.canvas({pane: "land"}), interactive: false,
                         style: {color: "#9bb59b", weight: 1, fillColor: "#f4f7f4", fillOpacity: 1}, attribution: "Natural Earth"}).addTo(map);
        el.setAttribute("data-basemap-drawn", "1");
      }).catch(function () {});  // no land drawn: the grid and the points still are
    }
    grid = function () {
      if (map._nkGrid) { map.removeLayer(map._nkGrid); }
      var b = map.getBounds(), step = Math.pow(10, Math.floor(Math.log10(Math.max(b.getEast() - b.getWest(), 0.001)))) / 2;
      var lines = [];
      for (var x = Math.floor(b.getWest() / step) * step; x <= b.getEast(); x += step) { lines.push([[b.getSouth(), x], [b.getNorth(), x]]); }
      for (var y = Math.floor(b.getSouth() / step) * step; y <= b.getNorth(); y += step) { lines.push([[y, b.getWest()], [y, b.getEast()]]); }
      map._nkGrid = L.polyline(lines, {color: "#c8d6c8", weight: 1, interactive: false}).addTo(map);
    };
    // The grid is drawn once the points and the first view are (below): a path added while Leaflet sets the
    // first view finds the shared canvas not yet placed, fails, and then no point is drawn at all.
    L.control.scale({imperial: false}).addTo(map);
  }
  var colours = {registered: "#f9a825", operating: "#2e7d32", modern: "#1565c0", closed: "#757575"};
  var bounds = [];
  points.forEach(function (p) {
    var m = L.circleMarker([p.lat, p.lon], {radius: 5, color: colours[p.stage] || "#2e7d32", weight: 1, fillOpacity: 0.7});
    m.bindPopup('<a href="/usaha/' + p.id + '/">' + p.name.replace(/[<>&"]/g, "") + "</a>" + (p.last ? "<br>" + p.last : ""));
    m.addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  map.fitBounds(bounds, {maxZoom: 15, padding: [10, 10]});
  if (grid) { grid(); map.on("moveend", grid); }
})();

// The map: offline Natural Earth borders (or a configured tile layer), clustered incident markers
// coloured by type and sized by harm; the map's view becomes the list's bbox filter.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const params = Object.assign({}, config.params);
  delete params.bbox;
  const map = L.map("map", { worldCopyJump: true, maxZoom: 18, minZoom: 2 }).setView([48.5, 31.5], 5);
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { maxZoom: 18, attribution: "map tiles" }).addTo(map);
  }
  fetch("/static/vendor/world-atlas/countries-50m.json").then((r) => r.json()).then((topo) => {
    const countries = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, { interactive: false, style: { color: "#7b8a97", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: config.tile_url ? 0 : 1 } })
      .addTo(map).bringToBack();
  });
  const cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
  map.addLayer(cluster);
  const q = window.dossierQuery(params);
  fetch("/api/v1/map?" + q.toString(), { credentials: "same-origin" }).then((r) => r.json()).then((data) => {
    const points = data.points || [];
    document.getElementById("map-count").textContent = points.length + " mapped of " + data.total;
    const seen = {};
    points.forEach(([id, lat, lon, type, killed, place]) => {
      seen[type] = true;
      const radius = 5 + Math.min(14, Math.sqrt(killed || 0) * 2);
      const marker = L.circleMarker([lat, lon], {
        radius: radius, color: "#fff", weight: 1, fillColor: window.DOSSIER_TYPES[type] || "#555", fillOpacity: 0.9,
      });
      marker.options.incidentId = id;
      // tooltip text is set as a text node, never as HTML: place names come from documents
      const label = document.createElement("span");
      label.textContent = type.replace(/_/g, " ") + " · " + (place || "") + (killed ? " · " + killed + " killed" : "");
      marker.bindTooltip(label);
      marker.on("click", () => { window.location.href = "/incidents/" + encodeURIComponent(id); });
      cluster.addLayer(marker);
    });
    const legend = document.getElementById("legend");
    Object.keys(seen).sort().forEach((type) => {
      const item = document.createElement("span");
      item.className = "item";
      const dot = document.createElement("span");
      dot.className = "dot t-" + type;
      item.appendChild(dot);
      item.appendChild(document.createTextNode(type.replace(/_/g, " ")));
      legend.appendChild(item);
    });
    if (points.length && !config.params.bbox) {
      map.fitBounds(L.latLngBounds(points.map((p) => [p[1], p[2]])).pad(0.1), { maxZoom: 8 });
    }
  });
  const link = document.getElementById("list-link");
  function syncList() {
    const b = map.getBounds();
    const bbox = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map((x) => x.toFixed(4)).join(",");
    const lq = window.dossierQuery(params);
    lq.set("bbox", bbox);
    link.href = "/incidents?" + lq.toString();
  }
  map.on("moveend", syncList);
  syncList();
})();

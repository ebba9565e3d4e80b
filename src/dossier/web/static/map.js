// The map, readable offline: Natural Earth country borders, first-level regions (zoom 5 and
// closer), the most populous places as labels (from the gazetteer, per zoom), and an online
// tile layer only when the settings name one. Incidents are clustered on a grid per zoom here
// (the server sends only what the role may see), and only the clusters in view are drawn, so
// 100,000 incidents pan and zoom as smoothly as 100. A list beside the map names the incidents
// in view, reachable by keyboard. The map's view becomes the list's bbox filter.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const params = Object.assign({}, config.params);
  delete params.bbox;
  const REGION_ZOOM = 5; // first-level region borders from this zoom on
  const CELL = 64; // cluster grid, in screen pixels
  const SINGLES_ZOOM = 15; // from here on every incident is its own marker
  const LIST_MAX = 50;
  const map = L.map("map", { worldCopyJump: true, maxZoom: 18, minZoom: 2, keyboard: true }).setView([48.5, 31.5], 5);
  window.dossierMap = map; // for the browser tests and the frame-time benchmark
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Borders: Natural Earth · Places: GeoNames");
  if (config.tile_url) {
    const tiles = L.tileLayer(config.tile_url, { maxZoom: 18 });
    // the attribution is text from the settings; Leaflet writes attributions as HTML, so escape it
    const esc = document.createElement("span");
    esc.textContent = config.tile_attribution || "map tiles";
    tiles.options.attribution = esc.innerHTML;
    tiles.addTo(map);
  }
  map.createPane("labels").style.zIndex = 450; // above the borders, below the markers
  map.getPane("labels").classList.add("map-labels");

  // the view as plain numbers (no LatLng per point: 100,000 of them per move is what stalls)
  function box(pad) {
    const b = map.getBounds().pad(pad);
    return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()];
  }
  function inside(v, lat, lon) { return lat >= v[0] && lat <= v[2] && lon >= v[1] && lon <= v[3]; }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then((r) => {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  // --- base map: countries always, regions when zoomed in ---------------------------------
  const fill = config.tile_url ? 0 : 1;
  getJSON("/static/vendor/world-atlas/countries-50m.json").then((topo) => {
    L.geoJSON(topojson.feature(topo, topo.objects.countries), {
      interactive: false, className: "country",
      style: { color: "#7b8a97", weight: 0.9, fillColor: "#f4f1ea", fillOpacity: fill },
    }).addTo(map).bringToBack();
    document.getElementById("map").dataset.countries = "drawn";
  });
  let regions = null;
  let regionsLoading = false;
  function syncRegions() {
    const want = map.getZoom() >= REGION_ZOOM;
    if (want && !regions && !regionsLoading) {
      regionsLoading = true;
      getJSON("/static/vendor/admin1/admin1-10m.json").then((topo) => {
        // only the borders between regions (each arc once), not the coasts already drawn
        // one layer per country, so that a move clips and draws only the countries in view
        const byCountry = {};
        topo.objects.regions.geometries.forEach((g) => {
          const cc = (g.properties && g.properties.country) || "";
          (byCountry[cc] = byCountry[cc] || []).push(g);
        });
        regions = L.featureGroup();
        Object.values(byCountry).forEach((geometries) => {
          const mesh = topojson.mesh(topo, { type: "GeometryCollection", geometries: geometries }, (a, b) => a !== b);
          if (!mesh.coordinates.length) return;
          regions.addLayer(L.geoJSON(mesh, {
            interactive: false, smoothFactor: 1.5,
            style: { color: "#a3a09a", weight: 0.7, dashArray: "3 3" },
          }));
        });
        regions.regionCount = topo.objects.regions.geometries.length;
        syncRegions();
      });
      return;
    }
    if (!regions) return;
    if (want && !map.hasLayer(regions)) {
      regions.addTo(map);
      document.getElementById("map").dataset.regions = String(regions.regionCount);
    } else if (!want && map.hasLayer(regions)) {
      map.removeLayer(regions);
      document.getElementById("map").dataset.regions = "hidden";
    }
  }

  // --- place labels: [name, lat, lon, minzoom, population], per zoom range ------------------
  const PLACE_FILES = [[2, "/static/mapdata/places-1.json"], [7, "/static/mapdata/places-2.json"], [9, "/static/mapdata/places-3.json"]];
  const places = [];
  const placeFiles = {};
  const labels = L.layerGroup().addTo(map);
  function syncLabels() {
    const zoom = map.getZoom();
    PLACE_FILES.forEach(([from, url]) => {
      if (zoom >= from && !placeFiles[url]) {
        placeFiles[url] = getJSON(url).then((data) => {
          data.places.forEach((p) => places.push(p));
          const el = document.getElementById("map");
          el.dataset.placeFiles = String(Number(el.dataset.placeFiles || 0) + 1);
          drawLabels();
        });
      }
    });
    drawLabels();
  }
  function drawLabels() {
    const zoom = map.getZoom();
    const view = box(0.1);
    labels.clearLayers();
    let shown = 0;
    for (const [name, lat, lon, minzoom, pop] of places) {
      if (minzoom > zoom || !inside(view, lat, lon)) continue;
      const el = document.createElement("span");
      el.className = "place" + (pop >= 1000000 ? " big" : "");
      el.textContent = name; // text, never HTML
      labels.addLayer(L.marker([lat, lon], {
        pane: "labels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "place-label", html: el, iconSize: null }),
      }));
      if (++shown >= 250) break;
    }
    document.getElementById("map").dataset.labels = String(shown);
  }

  // --- incidents: grid clusters per zoom -------------------------------------------------
  let points = []; // [id, lat, lon, type, killed, place]
  let xy = null; // Float64Array of Web Mercator x, y at zoom 0 (0..256)
  const clusterCache = {};
  const markers = L.layerGroup().addTo(map);

  function project() {
    xy = new Float64Array(points.length * 2);
    points.forEach((p, i) => {
      const s = Math.sin((Math.max(-85, Math.min(85, p[1])) * Math.PI) / 180);
      xy[2 * i] = ((p[2] + 180) / 360) * 256;
      xy[2 * i + 1] = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * 256;
    });
  }
  // Clustering one zoom is resumable: the idle-time work below does it in slices that end
  // before the browser needs the next frame; a zoom asked for before it is done is finished at once.
  const work = {};
  function clusterSome(zoom, until) {
    const job = work[zoom] || (work[zoom] = { i: 0, cells: new Map() });
    const cell = CELL / Math.pow(2, zoom);
    const cells = job.cells;
    let i = job.i;
    for (; i < points.length; i++) {
      if ((i & 1023) === 0 && until()) break;
      const key = zoom >= SINGLES_ZOOM ? i : Math.floor(xy[2 * i] / cell) * 1e7 + Math.floor(xy[2 * i + 1] / cell);
      let c = cells.get(key);
      if (!c) { c = { lat: 0, lon: 0, n: 0, first: i, killed: 0, s: 90, w: 180, nn: -90, e: -180 }; cells.set(key, c); }
      const p = points[i];
      c.lat += p[1]; c.lon += p[2]; c.n += 1; c.killed += p[4] || 0;
      if (p[1] < c.s) c.s = p[1];
      if (p[1] > c.nn) c.nn = p[1];
      if (p[2] < c.w) c.w = p[2];
      if (p[2] > c.e) c.e = p[2];
    }
    job.i = i;
    if (i < points.length) return false;
    const out = [];
    cells.forEach((c) => { c.lat /= c.n; c.lon /= c.n; out.push(c); });
    clusterCache[zoom] = out;
    delete work[zoom];
    return true;
  }
  function clustersAt(z) {
    const zoom = Math.min(z, SINGLES_ZOOM); // from SINGLES_ZOOM on the answer no longer changes
    if (!clusterCache[zoom]) clusterSome(zoom, () => false);
    return clusterCache[zoom];
  }
  function label(p) {
    const span = document.createElement("span"); // a text node: place names come from documents
    span.textContent = p[3].replace(/_/g, " ") + " · " + (p[5] || "") + (p[4] ? " · " + p[4] + " killed" : "");
    return span;
  }
  function openList(c) {
    const q = window.dossierQuery(params);
    q.set("bbox", [c.s, c.w, c.nn, c.e].map((x, k) => (x + (k < 2 ? -1e-4 : 1e-4)).toFixed(4)).join(","));
    window.location.href = "/incidents?" + q.toString();
  }
  function drawMarkers() {
    if (!xy) return;
    const zoom = map.getZoom();
    const view = box(0.25);
    markers.clearLayers();
    let drawn = 0;
    for (const c of clustersAt(zoom)) {
      if (!inside(view, c.lat, c.lon)) continue;
      drawn++;
      if (c.n === 1) {
        const p = points[c.first];
        const marker = L.circleMarker([p[1], p[2]], {
          radius: 5 + Math.min(14, Math.sqrt(p[4] || 0) * 2), color: "#fff", weight: 1,
          fillColor: window.DOSSIER_TYPES[p[3]] || "#555", fillOpacity: 0.9,
        });
        marker.options.incidentId = p[0];
        marker.bindTooltip(label(p));
        marker.on("click", () => { window.location.href = "/incidents/" + encodeURIComponent(p[0]); });
        markers.addLayer(marker);
      } else {
        const size = c.n < 10 ? "small" : c.n < 100 ? "medium" : "large";
        const el = document.createElement("div");
        const count = document.createElement("span");
        count.textContent = c.n >= 10000 ? Math.round(c.n / 1000) + "k" : String(c.n);
        el.appendChild(count);
        const m = L.marker([c.lat, c.lon], {
          icon: L.divIcon({ html: el, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) }),
          title: c.n + " incidents" + (c.killed ? ", " + c.killed + " killed" : ""),
          alt: c.n + " incidents",
        });
        m.on("click", () => {
          const b = L.latLngBounds([c.s, c.w], [c.nn, c.e]);
          // one spot (the same place for all), or as close as clusters go: list them instead
          if (zoom >= SINGLES_ZOOM - 1 || (c.s === c.nn && c.w === c.e)) openList(c);
          else map.fitBounds(b.pad(0.2), { maxZoom: Math.max(zoom + 2, map.getBoundsZoom(b)) });
        });
        markers.addLayer(m);
      }
    }
    document.getElementById("map").dataset.clusters = String(drawn);
  }

  // --- the list beside the map: incidents in view, the most killed first ----------------
  const inView = document.getElementById("map-list");
  function drawList() {
    if (!inView || !xy) return;
    const view = box(0);
    const found = [];
    let n = 0;
    for (const p of points) { // sorted by people killed, most first, when loaded
      if (!inside(view, p[1], p[2])) continue;
      n++;
      if (found.length < LIST_MAX) found.push(p);
    }
    inView.textContent = "";
    found.forEach((p) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "/incidents/" + encodeURIComponent(p[0]);
      a.appendChild(label(p));
      li.appendChild(a);
      inView.appendChild(li);
    });
    document.getElementById("map-list-count").textContent = n > LIST_MAX ? "the " + LIST_MAX + " with most killed of " + n : String(n);
  }

  // --- first view: fit the incidents, leaving far outliers out ------------------------
  // The box of the 5th to 95th percentile of latitude and of longitude, widened on each side by
  // its own size (at least 2 degrees); points outside that are outliers. A report geocoded to a
  // country's centre far from the rest does not stretch the view; a real second cluster does not
  // fall out, being inside the percentile box or near it.
  function quantile(sorted, q) { return sorted[Math.round(q * (sorted.length - 1))]; }
  function robustBounds(pts) {
    const lats = pts.map((p) => p[1]).sort((a, b) => a - b);
    const lons = pts.map((p) => p[2]).sort((a, b) => a - b);
    const [s0, n0, w0, e0] = [quantile(lats, 0.05), quantile(lats, 0.95), quantile(lons, 0.05), quantile(lons, 0.95)];
    const dl = Math.max(2, n0 - s0), dw = Math.max(2, e0 - w0);
    const kept = pts.filter((p) => p[1] >= s0 - dl && p[1] <= n0 + dl && p[2] >= w0 - dw && p[2] <= e0 + dw);
    return L.latLngBounds((kept.length ? kept : pts).map((p) => [p[1], p[2]]));
  }

  // markers first; borders, labels and the list a frame later, so no single frame does it all
  let pending = 0;
  function redraw() {
    drawMarkers();
    const ticket = ++pending;
    requestAnimationFrame(() => {
      if (ticket !== pending) return;
      syncRegions(); syncLabels();
      requestAnimationFrame(() => { if (ticket === pending) drawList(); });
    });
  }
  // the clusters of the other zooms are worked out while the page is idle, one zoom at a time
  function precluster(zoom) {
    if (zoom > SINGLES_ZOOM || !xy) return;
    if (clusterCache[zoom]) { precluster(zoom + 1); return; }
    const idle = window.requestIdleCallback || ((f) => setTimeout(() => f({ timeRemaining: () => 8 }), 30));
    idle((deadline) => {
      const done = clusterSome(zoom, () => deadline.timeRemaining() < 2);
      precluster(done ? zoom + 1 : zoom);
    });
  }
  const q = window.dossierQuery(params);
  getJSON("/api/v1/map?" + q.toString()).then((data) => {
    points = (data.points || []).sort((a, b) => (b[4] || 0) - (a[4] || 0));
    project();
    document.getElementById("map-count").textContent = points.length + " mapped of " + data.total;
    const seen = {};
    points.forEach((p) => { seen[p[3]] = true; });
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
    if (!config.params.bbox && points.length) {
      const b = robustBounds(points);
      map.fitBounds(b.pad(0.1), { maxZoom: 8, animate: false }); // at once: a later move must not be undone by it
    }
    redraw();
    precluster(2);
    document.getElementById("map").dataset.ready = "1";
  });
  // "Show on the map" from a list filtered by the map's view: the view is that box
  const given = (config.params.bbox || "").split(",").map(Number);
  let boxView = null;
  if (given.length === 4 && given.every(isFinite)) {
    map.fitBounds([[given[0], given[1]], [given[2], given[3]]], { animate: false });
    boxView = map.getBounds().toBBoxString();
  }
  const link = document.getElementById("list-link");
  function syncList() {
    const b = map.getBounds();
    let bbox = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map((x) => x.toFixed(4)).join(",");
    if (boxView && b.toBBoxString() === boxView) bbox = config.params.bbox; // not moved: the same box
    const lq = window.dossierQuery(params);
    lq.set("bbox", bbox);
    link.href = "/incidents?" + lq.toString();
  }
  map.on("moveend", () => { syncList(); redraw(); });
  syncList();
  redraw();
})();

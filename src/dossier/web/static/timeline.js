// The timeline: incidents per day, stacked by type, drawn as SVG; dragging selects a range
// that becomes the list's since/until filter. By keyboard: focus the chart, arrows move the
// range's end by a day (with Shift its start), Home/End jump, Enter lists the range.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("tl-config").textContent);
  const params = Object.assign({}, config.params);
  const box = document.getElementById("timeline");
  const NS = "http://www.w3.org/2000/svg";
  const W = 1200, H = 320, PAD = 30;
  function el(name, attrs) {
    const node = document.createElementNS(NS, name);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
    return node;
  }
  fetch("/api/v1/timeline?" + window.dossierQuery(params).toString(), { credentials: "same-origin" })
    .then((r) => r.json()).then((data) => {
      const days = data.days || [];
      document.getElementById("tl-count").textContent = data.total + " incidents on " + days.length + " days";
      if (!days.length) { box.textContent = "No dated incidents match."; return; }
      const t0 = Date.parse(days[0].day), t1 = Date.parse(days[days.length - 1].day) + 864e5;
      const span = Math.max(t1 - t0, 864e5);
      const max = Math.max(...days.map((d) => Object.values(d.counts).reduce((a, b) => a + b, 0)));
      const x = (t) => PAD + ((t - t0) / span) * (W - 2 * PAD);
      const y = (n) => H - PAD - (n / max) * (H - 2 * PAD);
      const svg = el("svg", {
        viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none", role: "group", tabindex: "0",
        "aria-label": `Incidents per day from ${days[0].day} to ${days[days.length - 1].day}, by type; select a date range`,
        "aria-describedby": "tl-help",
      });
      const types = Object.keys(window.DOSSIER_TYPES);
      const bw = Math.max(1, (W - 2 * PAD) / (span / 864e5) - 1);
      days.forEach((d) => {
        let acc = 0;
        const t = Date.parse(d.day);
        types.forEach((type) => {
          const n = d.counts[type] || 0;
          if (!n) return;
          const rect = el("rect", { x: x(t), y: y(acc + n), width: bw, height: y(acc) - y(acc + n), fill: window.DOSSIER_TYPES[type] });
          const title = el("title", {});
          title.textContent = d.day + ": " + n + " " + type.replace(/_/g, " ");
          rect.appendChild(title);
          svg.appendChild(rect);
          acc += n;
        });
      });
      svg.appendChild(el("line", { x1: PAD, x2: W - PAD, y1: H - PAD, y2: H - PAD, stroke: "#888" }));
      // dates along the axis, not only the first and the last
      const nDays = Math.round(span / 864e5);
      const step = Math.max(1, Math.ceil(nDays / 8));
      for (let k = 0; k < nDays; k += step) {  // each label marks the start of its day
        const t = t0 + k * 864e5;
        const anchor = k === 0 ? "start" : (k + step >= nDays ? "end" : "middle");
        svg.appendChild(el("line", { x1: x(t), x2: x(t), y1: H - PAD, y2: H - PAD + 4, stroke: "#888" }));
        const text = el("text", { x: x(t), y: H - 10, "text-anchor": anchor, class: "tick" });
        text.textContent = new Date(t).toISOString().slice(0, 10);
        svg.appendChild(text);
      }
      const maxLabel = el("text", { x: 2, y: PAD });
      maxLabel.textContent = String(max);
      svg.appendChild(maxLabel);
      const sel = el("rect", { class: "sel", x: 0, y: PAD, width: 0, height: H - 2 * PAD });
      svg.appendChild(sel);
      box.appendChild(svg);
      const toTime = (ev) => {
        const r = svg.getBoundingClientRect();
        const px = ((ev.clientX - r.left) / r.width) * W;
        return t0 + ((Math.min(Math.max(px, PAD), W - PAD) - PAD) / (W - 2 * PAD)) * span;
      };
      let start = null;
      svg.addEventListener("mousedown", (ev) => { start = toTime(ev); });
      svg.addEventListener("mousemove", (ev) => {
        if (start === null) return;
        const a = Math.min(start, toTime(ev)), b = Math.max(start, toTime(ev));
        sel.setAttribute("x", x(a)); sel.setAttribute("width", Math.max(1, x(b) - x(a)));
      });
      const iso = (t) => new Date(t).toISOString().slice(0, 10);
      let range = null;  // the selected [first, last] day, as times
      const choose = (a, b) => {
        range = [a, b];
        sel.setAttribute("x", x(a)); sel.setAttribute("width", Math.max(1, x(b + 864e5) - x(a)));
        const q = window.dossierQuery(params);
        q.set("since", iso(a)); q.set("until", iso(b));
        document.getElementById("tl-range").textContent = iso(a) + " – " + iso(b);
        document.getElementById("tl-list").href = "/incidents?" + q.toString();
      };
      const dayOf = (t) => t0 + Math.floor((t - t0) / 864e5) * 864e5;
      svg.addEventListener("mouseup", (ev) => {
        if (start === null) return;
        const a = Math.min(start, toTime(ev)), b = Math.max(start, toTime(ev));
        start = null;
        choose(dayOf(a), dayOf(b));
      });
      const lastDay = t1 - 864e5;
      svg.addEventListener("keydown", (ev) => {
        let [a, b] = range || [t0, lastDay];
        const clamp = (t) => Math.min(Math.max(t, t0), lastDay);
        if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
          const d = (ev.key === "ArrowLeft" ? -1 : 1) * 864e5;
          if (ev.shiftKey) a = Math.min(clamp(a + d), b); else b = Math.max(clamp(b + d), a);
        } else if (ev.key === "Home") { if (ev.shiftKey) a = t0; else b = a; }
        else if (ev.key === "End") { if (ev.shiftKey) a = b; else b = lastDay; }
        else if (ev.key === "Enter") {
          if (range) window.location.href = document.getElementById("tl-list").href;
          return;
        } else return;
        ev.preventDefault();
        choose(a, b);
      });
      const legend = document.getElementById("tl-legend");
      types.forEach((type) => {
        const item = document.createElement("span");
        item.className = "item";
        const dot = document.createElement("span");
        dot.className = "dot t-" + type;
        item.appendChild(dot);
        item.appendChild(document.createTextNode(type.replace(/_/g, " ")));
        legend.appendChild(item);
      });
    });
})();

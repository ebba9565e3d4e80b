// Small behaviours of every page; no inline scripts (the CSP forbids them).
"use strict";
document.addEventListener("click", (e) => {
  const t = e.target;
  if (t.matches && t.matches("button.reveal")) {
    const blurred = t.previousElementSibling;
    if (blurred) blurred.classList.toggle("revealed");
  }
});
document.addEventListener("change", (e) => {
  const t = e.target;
  if (t.matches && t.matches("input.select-all")) {
    document.querySelectorAll('input[name="ids"]').forEach((box) => { box.checked = t.checked; });
  }
});
window.DOSSIER_TYPES = {
  killing: "#b2182b", mass_grave: "#67001f", torture: "#d6604d", sexual_violence: "#c51b7d",
  detention: "#2166ac", deportation: "#4393c3", attack_on_civilians: "#e08214",
  attack_on_protected: "#b35806", pillage_destruction: "#5aae61", prohibited_weapon: "#542788",
};
window.dossierQuery = function (params) {
  const q = new URLSearchParams();
  Object.entries(params || {}).forEach(([k, v]) => { if (v !== null && v !== undefined && v !== "") q.set(k, v); });
  return q;
};

// Odyssey workspace: HPO search-as-you-type on the new-case form, and polling of a running
// analysis on the case page. No framework; nothing loaded from elsewhere.
"use strict";

function hpoSearch(box) {
  const q = box.querySelector("#hpo-q");
  const list = box.querySelector("#hpo-results");
  let hits = [], active = -1, timer = null, seq = 0;
  const mode = () => document.querySelector('input[name="hpo-mode"]:checked').value;
  function close() { list.hidden = true; q.setAttribute("aria-expanded", "false"); q.removeAttribute("aria-activedescendant"); active = -1; }
  function show() {
    list.innerHTML = "";
    hits.forEach((h, i) => {
      const li = document.createElement("li");
      li.id = "hpo-opt-" + i; li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.textContent = h.id + " " + h.label + (h.synonym ? " (" + h.synonym + ")" : "");
      li.addEventListener("mousedown", (e) => { e.preventDefault(); add(h); });
      list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    q.setAttribute("aria-expanded", hits.length ? "true" : "false");
    if (active >= 0) q.setAttribute("aria-activedescendant", "hpo-opt-" + active);
  }
  function add(h) {
    const kind = mode();
    const ul = document.getElementById(kind + "-list");
    if (document.querySelector('input[type=hidden][data-term="' + h.id + '"]')) { close(); q.value = ""; return; }
    const li = document.createElement("li");
    const input = document.createElement("input");
    input.type = "hidden"; input.name = kind; input.value = h.id; input.dataset.term = h.id;
    const text = document.createElement("span"); text.textContent = h.id + " " + h.label;
    const rm = document.createElement("button"); rm.type = "button"; rm.textContent = "Remove";
    rm.setAttribute("aria-label", "Remove " + h.label);
    rm.addEventListener("click", () => { li.remove(); q.focus(); });
    li.append(input, text, rm); ul.appendChild(li);
    q.value = ""; hits = []; close();
  }
  q.addEventListener("input", () => {
    clearTimeout(timer);
    const text = q.value.trim();
    if (text.length < 2) { hits = []; close(); return; }
    timer = setTimeout(async () => {
      const mine = ++seq;
      const r = await fetch("/hpo/search?q=" + encodeURIComponent(text), { credentials: "same-origin" });
      if (!r.ok || mine !== seq) return;
      hits = await r.json(); active = hits.length ? 0 : -1; show();
    }, 150);
  });
  q.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && hits.length) { active = (active + 1) % hits.length; show(); e.preventDefault(); }
    else if (e.key === "ArrowUp" && hits.length) { active = (active - 1 + hits.length) % hits.length; show(); e.preventDefault(); }
    else if (e.key === "Enter") { if (active >= 0 && hits[active]) add(hits[active]); e.preventDefault(); }
    else if (e.key === "Escape") { close(); }
  });
  q.addEventListener("blur", () => setTimeout(close, 100));
}

function pollAnalysis(bar) {
  const url = bar.dataset.progressUrl;
  const status = document.getElementById("run-status");
  const progress = document.getElementById("run-progress");
  async function tick() {
    const r = await fetch(url, { credentials: "same-origin" });
    if (!r.ok) return;
    const a = await r.json();
    if (a.status === "queued" || a.status === "running") {
      progress.hidden = false; progress.value = a.progress || 0;
      status.textContent = "Latest analysis: " + a.status + " (" + a.stage + ", " + Math.round((a.progress || 0) * 100) + "%)";
      setTimeout(tick, 1000);
    } else {
      // finished or failed: show the result
      window.location.reload();
    }
  }
  if (bar.dataset.status === "queued" || bar.dataset.status === "running") setTimeout(tick, 500);
}

document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-hpo-search]");
  if (box) hpoSearch(box);
  const bar = document.querySelector("[data-progress-url]");
  if (bar) pollAnalysis(bar);
});

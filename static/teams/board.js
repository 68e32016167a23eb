// The response board refreshes itself: it reads the board's JSON every few seconds and redraws
// the rows. No framework, no CDN: offices run on intranets.
(function () {
  "use strict";
  var table = document.querySelector("[data-board-url]");
  if (!table) return;
  var url = table.getAttribute("data-board-url");
  var every = parseInt(table.getAttribute("data-refresh-seconds") || "5", 10) * 1000;
  var figures = ["called", "delivered", "yes", "no", "silent", "arrived", "eta_15", "eta_30", "eta_60", "eta_later", "min_headcount", "shortfall"];

  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  function row(r, name) {
    var tr = document.createElement("tr");
    if (r.short) tr.className = "short";
    tr.setAttribute("data-team", r.team ? r.team.id : "total");
    cell(tr, name);
    figures.forEach(function (f) { cell(tr, String(r[f]), f === "shortfall" && r[f] > 0 ? "gap" : ""); });
    var gaps = (r.qualifications || []).filter(function (g) { return g.short > 0; })
      .map(function (g) { return g.kind.name + " −" + g.short; });
    cell(tr, gaps.join("；"), gaps.length ? "gap" : "");
    return tr;
  }

  function draw(board) {
    var body = table.querySelector("tbody");
    var fresh = document.createElement("tbody");
    board.teams.forEach(function (r) { fresh.appendChild(row(r, r.team.name)); });
    var total = row(board.total, table.getAttribute("data-total-label"));
    total.className += " total";
    fresh.appendChild(total);
    table.replaceChild(fresh, body);
    var stamp = document.querySelector("[data-board-updated]");
    if (stamp) stamp.textContent = new Date(board.generated_at).toLocaleTimeString();
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (board) { if (board) draw(board); })
      .catch(function () { /* the next round tries again */ })
      .then(function () { window.setTimeout(refresh, every); });
  }
  window.setTimeout(refresh, every);
})();

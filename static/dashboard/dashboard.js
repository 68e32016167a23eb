/* Draws each section's chart from the figures embedded in the page, and runs "generate now". */
(function () {
  "use strict";
  var sections = JSON.parse(document.getElementById("figures").textContent);
  var palette = ["#a3192b", "#2f6db3", "#3c8d5a", "#d08a1e", "#6b4fa0", "#4a5560"];
  var big = window.matchMedia("(min-width: 1400px)").matches;
  if (window.Chart) {
    Chart.defaults.font.size = big ? 18 : 13;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var s = sections[Number(canvas.dataset.chart)];
    var spec = s.chart || {};
    var labels = s.rows.map(function (row) { return String(row[spec.label || 0]); });
    var doughnut = spec.type === "doughnut";
    var values = spec.values || [1];
    // A rate beside a count (or hundreds beside tens) is drawn against its own axis on the right,
    // so neither series is flattened against the other's scale.
    var right = (spec.right || []).filter(function (col) { return values.indexOf(col) >= 0; });
    function axisTitle(cols) { return cols.map(function (col) { return s.columns[col]; }).join(" / "); }
    var datasets = values.map(function (col, i) {
      return {
        label: s.columns[col],
        data: s.rows.map(function (row) { return row[col]; }),
        yAxisID: right.indexOf(col) >= 0 ? "y2" : "y",
        backgroundColor: doughnut ? labels.map(function (_, j) { return palette[j % palette.length]; }) : palette[i % palette.length],
      };
    });
    var scales = {};
    if (!doughnut) {
      scales = { x: { stacked: !!spec.stacked }, y: { stacked: !!spec.stacked, beginAtZero: true } };
      if (right.length) {
        scales.y.title = { display: true, text: axisTitle(values.filter(function (col) { return right.indexOf(col) < 0; })) };
        scales.y2 = { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: axisTitle(right) } };
      }
    }
    canvas.chart = new Chart(canvas, {
      type: doughnut ? "doughnut" : "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: scales,
      },
    });
  });

  var button = document.getElementById("generate");
  if (!button) { return; }
  var bar = document.getElementById("generate-progress");
  var state = document.getElementById("generate-state");
  var link = document.getElementById("generate-download");
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function show(progress) {
    bar.hidden = false;
    bar.max = Math.max(progress.total || 1, 1);
    bar.value = progress.done || 0;
    state.textContent = (state.dataset[progress.state] || progress.state) + (progress.total ? " " + progress.done + "/" + progress.total : "");
    state.dataset.state = progress.state;
  }
  // The snapshot just made joins the list at once (the page is not reloaded: the state stays).
  function listSnapshot(id) {
    var list = document.getElementById("snapshot-list");
    if (!list) { return; }
    var li = list.querySelector('[data-snapshot="' + id + '"]');
    if (!li) {
      li = document.createElement("li");
      li.setAttribute("data-snapshot", id);
      li.appendChild(document.createTextNode(button.dataset.label + " "));
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.textContent;
      li.appendChild(a);
      list.insertBefore(li, list.firstChild);
    }
    li.setAttribute("data-testid", "snapshot-new");
    var none = document.getElementById("no-snapshots");
    if (none) { none.hidden = true; }
  }
  function poll(url) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (progress) {
        show(progress);
        if (progress.state === "done") {
          link.href = button.dataset.url.replace(/generate\/$/, progress.snapshot + "/download/");
          link.hidden = false;
          button.disabled = false;
          listSnapshot(progress.snapshot);
        } else if (progress.state === "failed") {
          button.disabled = false;
        } else {
          setTimeout(function () { poll(url); }, 1000);
        }
      });
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    link.hidden = true;
    show({ state: "queued", done: 0, total: 0 });
    fetch(button.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
      body: JSON.stringify({ region: button.dataset.region, kind: button.dataset.kind, date: button.dataset.date }),
    })
      .then(function (r) { return r.json(); })
      .then(function (job) { poll(job.progress); });
  });
})();

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
    var datasets = (spec.values || [1]).map(function (col, i) {
      return {
        label: s.columns[col],
        data: s.rows.map(function (row) { return row[col]; }),
        backgroundColor: doughnut ? labels.map(function (_, j) { return palette[j % palette.length]; }) : palette[i % palette.length],
      };
    });
    canvas.chart = new Chart(canvas, {
      type: doughnut ? "doughnut" : "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: doughnut ? {} : { x: { stacked: !!spec.stacked }, y: { stacked: !!spec.stacked, beginAtZero: true } },
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
  function poll(url) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (progress) {
        show(progress);
        if (progress.state === "done") {
          link.href = button.dataset.url.replace(/generate\/$/, progress.snapshot + "/download/");
          link.hidden = false;
          button.disabled = false;
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

// The progress of a long job (see mobilization/jobs.py): polls the job's status every second,
// moves the bar, and reloads the page when the job ends so the server shows its result.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-job-text]");
  function show(job) {
    var total = Math.max(job.total || 0, 0);
    if (total) {
      bar.max = total;
      bar.value = job.done || 0;
    }
    var label = box.dataset[job.stage || job.state] || box.dataset[job.state] || "";
    text.textContent = label + (total ? " " + job.done + "/" + total : "");
  }
  function poll() {
    fetch(box.dataset.jobStatus, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        show(job);
        if (job.state === "done" || job.state === "failed") {
          window.location.reload();
        } else {
          setTimeout(poll, 1000);
        }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();

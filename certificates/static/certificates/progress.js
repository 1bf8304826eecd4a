// The session's Celery jobs (the check of an uploaded results workbook, the rendering of the electronic
// certificates): each box marked data-progress-url / data-progress-job follows its job's progress from the JSON
// of certificates:session_progress, and the page is loaded again when the job is done to show its outcome.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-progress-url]");
  if (!boxes.length) return;
  var url = boxes[0].dataset.progressUrl;

  function show(box, job) {
    var holder = box.querySelector(".progress");
    var bar = box.querySelector(".progress-bar");
    if (!job || !bar) return;
    bar.style.width = job.percent + "%";
    if (bar.textContent.trim()) bar.textContent = job.percent + "%";
    holder.setAttribute("aria-valuenow", job.percent);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, 3000); return; }
        var done = true;
        boxes.forEach(function (box) {
          var job = data[box.dataset.progressJob];
          show(box, job);
          if (job && !job.done) done = false;
        });
        if (done) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 800);
})();

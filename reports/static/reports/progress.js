// The report's generation job: poll its progress, then reload the page with the new version.
(function () {
  "use strict";
  var box = document.getElementById("report-progress");
  if (!box) return;
  var bar = box.querySelector(".progress-bar");
  var holder = box.querySelector(".progress");
  var status = box.querySelector("[data-progress-status]");
  var announced = -1;
  // A screen reader hears the progress at each quarter and when it ends, not at every poll.
  function announce(data) {
    if (!status) return;
    if (data.status !== "pending") { status.textContent = status.dataset.done; return; }
    var quarter = Math.floor(data.progress / 25);
    if (quarter !== announced) {
      announced = quarter;
      status.textContent = status.dataset.template.replace("__n__", data.progress);
    }
  }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.style.width = data.progress + "%";
        bar.textContent = data.progress + "%";
        holder.setAttribute("aria-valuenow", data.progress);
        holder.setAttribute("aria-valuetext", data.progress + "%");
        announce(data);
        if (data.status !== "pending") { window.setTimeout(function () { window.location.reload(); }, 600); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 800);
})();

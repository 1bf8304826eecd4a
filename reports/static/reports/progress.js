// The report's generation job: poll its progress, then reload the page with the new version.
(function () {
  "use strict";
  var box = document.getElementById("report-progress");
  if (!box) return;
  var bar = box.querySelector(".progress-bar");
  var holder = box.querySelector(".progress");
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.style.width = data.progress + "%";
        bar.textContent = data.progress + "%";
        holder.setAttribute("aria-valuenow", data.progress);
        if (data.status !== "pending") { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 800);
})();

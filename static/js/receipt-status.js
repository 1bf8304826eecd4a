// The filing receipt card: while the receipt is being produced, ask its status every 3 seconds and show the
// download link as soon as it is ready (filings/templates/filings/_receipt.html).
(function () {
  "use strict";
  const box = document.querySelector("[data-receipt-status]");
  if (!box || box.dataset.status !== "pending") return;
  const label = box.querySelector("[data-receipt-label]");
  const link = box.querySelector("[data-receipt-download]");
  const hint = document.querySelector("[data-receipt-hint]");

  function show(data) {
    label.textContent = data.label;
    label.classList.remove("text-bg-warning");
    label.classList.add(data.status === "ready" ? "text-bg-success" : "text-bg-danger");
    if (data.download) {
      link.href = data.download;
      link.classList.remove("d-none");
    }
    if (hint) hint.remove();
  }

  function poll() {
    fetch(box.dataset.receiptStatus, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (data && data.status !== "pending") show(data);
        else setTimeout(poll, 3000);
      })
      .catch(() => setTimeout(poll, 3000));
  }
  setTimeout(poll, 3000);
})();

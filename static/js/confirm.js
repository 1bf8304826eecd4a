// A button or form marked data-confirm asks before an irreversible step (no inline script: CSP-friendly).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// A button or form marked data-confirm asks before an irreversible step (no inline script: CSP-friendly).
// A form with a required field left empty is not confirmed: it is sent as it is and the server answers with the
// error beside the field (nothing typed is lost); the question comes once the form is complete.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (!button) return;
  const form = button.form || button.closest("form");
  if (form && !form.checkValidity()) return;
  if (!window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

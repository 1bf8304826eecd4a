// A form marked data-submit-once is sent once: its submit buttons are disabled as it goes (a double click sends
// nothing more; the server also recognises the form's one-time token). No inline script: CSP-friendly.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-submit-once]");
  if (!form) {
    return;
  }
  if (form.dataset.sent === "yes") {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "yes";
  form.setAttribute("aria-busy", "true");
  // After this turn, so that the pressed button's own name and value are still sent with the form.
  window.setTimeout(() => {
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach((button) => {
      button.disabled = true;
    });
  }, 0);
});
// Back to the page from the browser's history: the form can be used again.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-submit-once]").forEach((form) => {
    delete form.dataset.sent;
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach((button) => {
      button.disabled = false;
    });
  });
});

// Behaviour every page shares, from markup only (the Content-Security-Policy allows no inline script).
// A control marked data-autosubmit sends its form when its value changes (the language menu, list filters).
document.addEventListener("change", (event) => {
  const control = event.target.closest("[data-autosubmit]");
  if (control && control.form) {
    control.form.submit();
  }
});

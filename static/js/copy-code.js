// The tracking code shown once: a button copies it when the browser offers a clipboard.
(() => {
  const button = document.getElementById("copy-code");
  if (!button || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(document.getElementById("tracking-code").textContent.trim());
    button.querySelector("i").className = "bi bi-clipboard-check";
  });
})();

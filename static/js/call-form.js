// The call form: "add a material" copies the empty row template with the next form index.
(() => {
  const button = document.getElementById("add-material");
  const rows = document.getElementById("material-rows");
  const total = document.getElementById("id_materials-TOTAL_FORMS");
  const template = document.getElementById("material-template");
  if (!button || !rows || !total || !template) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const index = Number(total.value);
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", index));
    total.value = index + 1;
    rows.lastElementChild.querySelector("input").focus();
  });
})();

// The sanction form: each date shows for its measure only (整改期限 for an order to rectify, 暂停截止日期 for a
// suspension). A hidden date is disabled, so it is not posted; what was typed in it comes back with its measure.
// Without script both dates show, with their help saying which measure, and the server refuses a date given for
// another measure beside its field.
(() => {
  const choice = document.querySelector("[data-measure-choice]");
  const fields = document.querySelectorAll("[data-measure-field]");
  if (!choice || !fields.length) return;
  const update = () => {
    fields.forEach((field) => {
      const shown = field.dataset.measureField === choice.value;
      field.hidden = !shown;
      field.querySelectorAll("input").forEach((input) => {
        input.disabled = !shown;
      });
    });
  };
  choice.addEventListener("change", update);
  update();
})();

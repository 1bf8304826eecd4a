// The expert's scoring sheet: the total of the scores typed so far.
(() => {
  const inputs = document.querySelectorAll(".score-input");
  const out = document.getElementById("score-total");
  if (!out || !inputs.length) return;
  const update = () => {
    let total = 0;
    let any = false;
    inputs.forEach((input) => {
      const value = parseInt(input.value, 10);
      if (!Number.isNaN(value)) {
        total += value;
        any = true;
      }
    });
    out.textContent = any ? total : "—";
  };
  inputs.forEach((input) => input.addEventListener("input", update));
  update();
})();

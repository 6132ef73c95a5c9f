// 写文章: typing in the filter box hides the columns whose name doesn't contain the text and
// selects the first one still shown.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-kanwu-filter]").forEach((input) => {
    const select = document.getElementById(input.dataset.kanwuFilter);
    if (!select) return;
    input.addEventListener("input", () => {
      const text = input.value.trim();
      let first = null;
      for (const option of select.options) {
        const shown = option.value !== "" && (!text || option.text.includes(text));
        option.hidden = !shown;
        if (shown && !first) first = option;
      }
      const current = select.selectedOptions[0];
      if (first && (!current || current.hidden)) first.selected = true;
    });
  });
});

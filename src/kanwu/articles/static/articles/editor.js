// Wagtail autosaves a new page by posting the form to the "add" address until the answer moves
// the form to the page's edit address. A 发布 or 保存草稿 clicked while that first autosave is on
// its way (a slow server, a quick editor) would post to the "add" address too and create the
// page twice. Hold such a submit until the autosave has answered, then send it on.
(() => {
  "use strict";

  const form = document.querySelector('form[data-controller~="w-autosave"]');
  if (!form) return;
  let saving = null;

  form.addEventListener("w-autosave:save", (event) => {
    saving = new Promise((resolve) => {
      const done = () => {
        form.removeEventListener("w-autosave:success", done);
        form.removeEventListener("w-autosave:error", done);
        saving = null;
        resolve();
      };
      form.addEventListener("w-autosave:success", done);
      form.addEventListener("w-autosave:error", done);
      // A save another listener cancelled never answers.
      queueMicrotask(() => event.defaultPrevented && done());
    });
  });

  form.addEventListener(
    "submit",
    (event) => {
      if (!saving) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const button = event.submitter;
      saving.then(() => {
        // The button is disabled by now (Wagtail's progress spinner): send its name itself.
        if (button && button.name) {
          const chosen = document.createElement("input");
          chosen.type = "hidden";
          chosen.name = button.name;
          chosen.value = button.value;
          form.append(chosen);
        }
        form.requestSubmit();
      });
    },
    true,
  );
})();

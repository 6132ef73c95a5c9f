/* Keyboard shortcuts for the admin's comment queue (评论审核):
 *   j / k  next / previous comment      a  批准      s  垃圾评论
 *   d      删除（移到回收站）            r  回复
 * Loaded on every admin page; it acts only where the queue's buttons are. The listing is
 * redrawn in place when filtering, so rows are looked up at each key press. After an action
 * the page reloads; the same row position is selected again (the next comment moves up). */
(function () {
  "use strict";

  var STORE = "kanwu-moderation-row";
  var current = -1;

  function rows() {
    var cells = document.querySelectorAll("td.kanwu-moderation");
    var list = [];
    for (var i = 0; i < cells.length; i++) list.push(cells[i].closest("tr"));
    return list;
  }

  function select(index) {
    var all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(index, all.length - 1));
    for (var i = 0; i < all.length; i++) {
      all[i].classList.toggle("kanwu-moderation-current", i === index);
      all[i].removeAttribute("aria-current");
    }
    var row = all[index];
    row.setAttribute("aria-current", "true");
    if (!row.hasAttribute("tabindex")) row.setAttribute("tabindex", "-1");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
    current = index;
  }

  function typing(target) {
    if (!target || !target.closest) return false;
    return !!target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target)) return;
    var key = event.key;
    if (["j", "k", "a", "s", "d", "r"].indexOf(key) === -1) return;
    var all = rows();
    if (!all.length) return;
    // A filter redraws the table: a selection no longer shown is forgotten.
    if (current >= 0 && !(all[current] && all[current].classList.contains("kanwu-moderation-current"))) {
      current = -1;
    }
    if (key === "j" || key === "k") {
      event.preventDefault();
      select(current < 0 ? 0 : current + (key === "j" ? 1 : -1));
      return;
    }
    if (current < 0) return;
    var control = all[current].querySelector('[data-kanwu-key="' + key + '"]');
    if (!control) return;
    event.preventDefault();
    try {
      window.sessionStorage.setItem(STORE, String(current));
    } catch (error) {
      /* storage may be off: the selection simply starts over */
    }
    control.click();
  });

  function restore() {
    var saved = null;
    try {
      saved = window.sessionStorage.getItem(STORE);
      window.sessionStorage.removeItem(STORE);
    } catch (error) {
      return;
    }
    if (saved !== null && rows().length) select(parseInt(saved, 10) || 0);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }
})();

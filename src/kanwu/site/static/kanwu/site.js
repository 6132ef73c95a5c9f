/* Toolbar niceties; every page works without this file. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var top = document.getElementById("back-to-top");
    if (top) {
      var toggle = function () { top.classList.toggle("visible", window.scrollY > 300); };
      window.addEventListener("scroll", toggle, { passive: true });
      toggle();
      top.addEventListener("click", function (event) {
        event.preventDefault();
        window.scrollTo({ top: 0, behavior: "smooth" });
      });
    }
    // View counts: cached pages are the same for everyone, so the count comes from the beacon.
    var views = document.querySelector("[data-views-for]");
    if (views && window.fetch) {
      fetch("/_/views/" + views.getAttribute("data-views-for") + "/", { method: "POST" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) { views.textContent = data.views; } })
        .catch(function () {});
    }
    // Tapping a tool on a touch screen opens its pop-up; tapping elsewhere closes it.
    var tools = document.querySelectorAll(".tool[tabindex]");
    tools.forEach(function (tool) {
      tool.addEventListener("click", function (event) {
        var wasOpen = tool.classList.contains("open");
        tools.forEach(function (other) { other.classList.remove("open"); });
        if (!wasOpen) { tool.classList.add("open"); }
        event.stopPropagation();
      });
    });
    document.addEventListener("click", function () {
      tools.forEach(function (tool) { tool.classList.remove("open"); });
    });
  });
})();

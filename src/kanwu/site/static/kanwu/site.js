/* Toolbar niceties; every page works without this file. */
(function () {
  "use strict";
  var FONT_SIZE_KEY = "kanwu:font-size";
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
    // 字号 大 中 小 and 打印本页 on an article: shown only here, as both need this script.
    var tools = document.querySelector(".article-tools");
    var article = document.querySelector("article.article");
    if (tools && article) {
      var sizes = tools.querySelectorAll("[data-font-size]");
      var choose = function (size) {
        var known = false;
        sizes.forEach(function (button) {
          var on = button.getAttribute("data-font-size") === size;
          button.setAttribute("aria-pressed", on ? "true" : "false");
          known = known || on;
        });
        if (!known) { return; }
        sizes.forEach(function (button) {
          article.classList.toggle("font-" + button.getAttribute("data-font-size"), button.getAttribute("data-font-size") === size);
        });
      };
      var remembered = null;
      try { remembered = window.localStorage.getItem(FONT_SIZE_KEY); } catch (error) {}
      if (remembered) { choose(remembered); }
      sizes.forEach(function (button) {
        button.addEventListener("click", function () {
          var size = button.getAttribute("data-font-size");
          choose(size);
          try { window.localStorage.setItem(FONT_SIZE_KEY, size); } catch (error) {}
        });
      });
      tools.querySelector(".print-page").addEventListener("click", function () { window.print(); });
      tools.hidden = false;
    }
    // 幻灯 on the home page: without this script the arrows and dots are links that scroll
    // the track (CSS scroll snap); here they scroll it without moving the page, the dots
    // follow the slide in view, and the slides turn by themselves (paused while the pointer
    // or the keyboard focus is on them, and never for readers who ask for reduced motion).
    document.querySelectorAll("[data-slides]").forEach(function (slides) {
      var track = slides.querySelector(".slide-track");
      var items = slides.querySelectorAll(".slide");
      var dots = slides.querySelectorAll(".slide-dots a");
      if (!track || items.length < 2) { return; }
      var current = function () { return Math.round(track.scrollLeft / Math.max(track.clientWidth, 1)); };
      var show = function (index) {
        var target = items[(index + items.length) % items.length];
        track.scrollTo({ left: target.offsetLeft - track.offsetLeft, behavior: "smooth" });
      };
      slides.querySelectorAll("[data-slide-to]").forEach(function (link) {
        link.addEventListener("click", function (event) {
          var target = document.getElementById(link.getAttribute("href").slice(1));
          var index = Array.prototype.indexOf.call(items, target);
          if (index < 0) { return; }
          event.preventDefault();
          show(index);
        });
      });
      var mark = function () {
        var index = current();
        dots.forEach(function (dot, number) {
          if (number === index) { dot.setAttribute("aria-current", "true"); } else { dot.removeAttribute("aria-current"); }
        });
      };
      track.addEventListener("scroll", mark, { passive: true });
      var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");
      if (still && still.matches) { return; }
      var paused = false;
      var pause = function () { paused = true; };
      var resume = function () { paused = slides.contains(document.activeElement); };
      slides.addEventListener("mouseenter", pause);
      slides.addEventListener("mouseleave", function () { paused = false; resume(); });
      slides.addEventListener("focusin", pause);
      slides.addEventListener("focusout", function () { window.setTimeout(resume, 0); });
      window.setInterval(function () {
        if (!paused && !document.hidden) { show(current() + 1); }
      }, 5000);
    });
    // 站长QQ and 关注我们 open their pop-ups on hover and focus without this script; a click or
    // tap (or Enter) toggles one open and says so, a click elsewhere or Escape closes it.
    var buttons = document.querySelectorAll("#toolbar button.tool-button");
    var close = function () {
      buttons.forEach(function (button) {
        button.setAttribute("aria-expanded", "false");
        button.parentNode.classList.remove("open");
      });
    };
    buttons.forEach(function (button) {
      button.addEventListener("click", function (event) {
        var wasOpen = button.getAttribute("aria-expanded") === "true";
        close();
        if (!wasOpen) {
          button.setAttribute("aria-expanded", "true");
          button.parentNode.classList.add("open");
        }
        event.stopPropagation();
      });
    });
    document.addEventListener("click", close);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); }
    });
  });
})();

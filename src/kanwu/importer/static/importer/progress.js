// The run page of a background import (importer/run.html): while the run is queued or
// running, ask its progress endpoint every few seconds and put the fresh part of the page in
// place; stop once the run has ended. Without JavaScript a <noscript> refresh does the same.
(function () {
  "use strict";
  var EVERY_MS = 2000;
  var box = document.querySelector("[data-import-progress]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-import-progress");

  function poll() {
    fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        box.innerHTML = data.html;
        box.setAttribute("data-status", data.status);
        if (data.finished) {
          box.removeAttribute("data-import-progress");
          return;
        }
        window.setTimeout(poll, EVERY_MS);
      })
      .catch(function () {
        // The server restarting, the network away: keep asking, less often.
        window.setTimeout(poll, EVERY_MS * 5);
      });
  }

  window.setTimeout(poll, EVERY_MS);
})();

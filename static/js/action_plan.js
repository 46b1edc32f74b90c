// Polls a PDF action plan that is being prepared and swaps in the download
// link (or the retry button) when it is done, without a manual reload.
(function () {
  "use strict";
  var box = document.querySelector("[data-action-plan-status]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-action-plan-status");
  var delay = 1000;

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        if (state.status === "ready" || state.status === "failed") {
          box.innerHTML = state.html;
          box.removeAttribute("data-action-plan-status");
          var focusable = box.querySelector("a, button");
          if (focusable) {
            focusable.focus();
          }
          return;
        }
        delay = Math.min(delay * 1.5, 5000);
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, delay);
})();

// Polls a PDF action plan that is being prepared and swaps in the download
// link (or the retry button) when it is done, without a manual reload.
// The waits between looks come from the box's data-action-plan-poll attribute
// (milliseconds, the last repeating: reports.services.ACTION_PLAN_POLL_DELAYS_MS),
// often at first, then backing off; make bench polls by the same waits.
(function () {
  "use strict";
  var box = document.querySelector("[data-action-plan-status]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-action-plan-status");
  var delays = [];
  try {
    delays = JSON.parse(box.getAttribute("data-action-plan-poll") || "[]");
  } catch (error) {
    delays = [];
  }
  if (!delays.length) {
    delays = [1000];
  }
  var looks = 0;

  function nextDelay() {
    var delay = delays[Math.min(looks, delays.length - 1)];
    looks += 1;
    return delay;
  }

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
        window.setTimeout(poll, nextDelay());
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, nextDelay());
})();

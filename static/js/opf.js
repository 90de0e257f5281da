// Small behaviours on top of htmx; every page works without this file.
(function () {
  "use strict";
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("request-error");
    if (!box) return;
    var status = event.detail.xhr.status;
    box.textContent = status === 403
      ? box.dataset.forbidden || "You are not allowed to do this."
      : (box.dataset.failed || "The request failed") + " (" + status + ").";
    box.hidden = false;
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("request-error");
    if (box) { box.textContent = box.dataset.offline || "The server could not be reached."; box.hidden = false; }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    // Move focus into a swapped-in inline form so keyboard users can type at once.
    var field = event.detail.target && event.detail.target.querySelector
      ? event.detail.target.querySelector("form.editing input:not([type=hidden]), form.editing select, form.editing textarea")
      : null;
    if (field) field.focus();
  });
})();

// Small behaviours on top of htmx; every page works without this file.
(function () {
  "use strict";
  function showError(text) {
    var box = document.getElementById("request-error");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
  }
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("request-error");
    if (!box) return;
    var status = event.detail.xhr.status;
    showError(status === 403
      ? box.dataset.forbidden
      : box.dataset.failed + " (" + status + ").");
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("request-error");
    if (box) showError(box.dataset.offline);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    // Move focus into a swapped-in inline form so keyboard users can type at once.
    var elt = event.detail.elt;
    var form = elt && elt.isConnected && elt.matches("form.editing") ? elt : null;
    if (!form && elt && elt.isConnected) form = elt.querySelector("form.editing");
    if (!form) return;
    var field = form.querySelector("input:not([type=hidden]), select, textarea");
    if (field) field.focus();
  });
})();

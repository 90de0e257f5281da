// The navigation's enhancements; everything works without this file (see base.html).
// - "/" puts the cursor in the top bar's find box (unless one is typing already);
// - each section remembers whether the person keeps it open (localStorage);
// - on a phone, "Menu" opens the navigation over the page (Escape closes it);
// - "New…" closes on Escape or a click elsewhere.
// - on a phone, a list's filters fold away under "Filters" when none is in use.
(function () {
  "use strict";
  var KEY = "opf.nav.";

  function typing(target) {
    if (!target || !target.closest) return false;
    return !!target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']");
  }

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  function remember() {
    var store = storage();
    document.querySelectorAll("details.nav-section[data-section]").forEach(function (section) {
      var slug = section.dataset.section;
      var kept = store && store.getItem(KEY + slug);
      // The section of the current page stays open, whatever was kept.
      if (kept && !section.classList.contains("active")) section.open = kept === "open";
      section.addEventListener("toggle", function () {
        if (store) store.setItem(KEY + slug, section.open ? "open" : "closed");
      });
    });
  }

  // On a phone a list's filters fold away when none is in use: the results come first.
  function foldFilters() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 800px)").matches) return;
    document.querySelectorAll("details.filters-box[open]").forEach(function (box) {
      var form = box.querySelector("form");
      if (!form || box.querySelector(".has-error")) return;
      var used = Array.prototype.some.call(form.elements, function (field) {
        if (!field.name || field.type === "hidden" || field.type === "submit") return false;
        if (field.type === "checkbox" || field.type === "radio") return field.checked;
        // A select's first option is its "Any" (whatever its value, e.g. "unknown").
        if (field.tagName === "SELECT") {
          return field.multiple ? field.selectedOptions.length > 0 : field.selectedIndex > 0;
        }
        return field.value !== "";
      });
      if (!used) box.open = false;
    });
  }

  function menu() {
    var toggle = document.getElementById("menu-toggle");
    var nav = document.getElementById("nav");
    if (!toggle || !nav) return;
    toggle.setAttribute("aria-expanded", "false");
    function drawn() { return window.getComputedStyle(toggle).display !== "none"; }
    function close(refocus) {
      document.body.classList.remove("nav-open");
      toggle.setAttribute("aria-expanded", "false");
      if (refocus) toggle.focus();
    }
    toggle.addEventListener("click", function (event) {
      if (!drawn()) return;
      event.preventDefault();
      if (document.body.classList.toggle("nav-open")) {
        toggle.setAttribute("aria-expanded", "true");
        nav.focus();
      } else {
        close(false);
      }
    });
    var closer = nav.querySelector(".nav-close");
    if (closer) closer.addEventListener("click", function (event) {
      if (!document.body.classList.contains("nav-open")) return;
      event.preventDefault();
      close(true);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && document.body.classList.contains("nav-open")) close(true);
    });
    document.addEventListener("click", function (event) {
      if (document.body.classList.contains("nav-open") && !nav.contains(event.target)
          && !toggle.contains(event.target)) close(false);
    });
  }

  function newMenu() {
    var menu = document.querySelector("details.new-menu");
    if (!menu) return;
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var box = document.getElementById("find-q");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  function start() { remember(); menu(); newMenu(); foldFilters(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// Forms on top of plain HTML (every form works without this file):
// - searchable pickers (Tom Select) for the selects marked data-picker; a big
//   choice set (data-search-url) fetches its options as the person types,
// - dependent choices: a select with data-narrowed-by reloads its options
//   from data-options-url when its parent changes,
// - a live counter for text fields with a length limit,
// - focus on the error summary when a form comes back with errors.
(function () {
  "use strict";

  function pickers(root) {
    if (typeof window.TomSelect !== "function") return;
    root.querySelectorAll("select[data-picker]").forEach(function (select) {
      if (select.tomselect || select.disabled) return;
      var multiple = select.multiple;
      var settings = {
        plugins: multiple ? ["remove_button"] : [],
        placeholder: select.dataset.placeholder || "",
        allowEmptyOption: !multiple,
        maxOptions: null,
        // the server's order (people by name, units as a tree) among equal matches
        sortField: [{ field: "$score" }, { field: "$order" }],
        create: false,
        selectOnTab: true,
        closeAfterSelect: !multiple,
        hidePlaceholder: true
      };
      if (select.dataset.searchUrl) searchOnDemand(select, settings);
      var ts = new window.TomSelect(select, settings);
      keepLabel(select, ts);
    });
  }

  // A big choice set (data-search-url): the page carries only the chosen options;
  // the picker asks the server for those matching what is typed (the first ones
  // when it opens), in the server's order, and shows them as they come.
  function searchOnDemand(select, settings) {
    var url = select.dataset.searchUrl;
    var empty = select.querySelector("option[value='']");
    var blank = empty ? { value: "", text: empty.textContent } : null;
    settings.preload = "focus";
    settings.loadThrottle = 250;
    settings.shouldLoad = function () { return true; };
    // the server matched the words (names, codes): no second filtering here
    settings.score = function (search) {
      return function (item) { return search && item.value === "" ? 0 : 1; };
    };
    settings.load = function (query, callback) {
      var ts = this;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" }, credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        // what an earlier search found goes; what is chosen stays
        ts.clearOptions();
        var found = (data && data.options ? data.options : []).map(function (o) {
          return { value: String(o.value), text: o.label };
        });
        if (blank && !query) found.unshift(blank);
        callback(found);
      }).catch(function () { callback(); });
    };
  }

  // The field's <label> names the picker's search box (Tom Select points it there);
  // the list of options gets the same words as its title, and the <select> (what
  // is posted) leaves the accessibility tree: a screen reader meets one control.
  function keepLabel(select, ts) {
    var label = document.getElementById(select.id + "-ts-label");
    if (label) {
      ts.dropdown_content.removeAttribute("aria-labelledby");
      ts.dropdown_content.setAttribute("title", label.textContent.replace(/\s*\*\s*$/, "").trim());
    }
    var described = select.getAttribute("aria-describedby");
    if (described) ts.control_input.setAttribute("aria-describedby", described);
    if (select.getAttribute("aria-invalid")) ts.control_input.setAttribute("aria-invalid", "true");
    select.setAttribute("aria-hidden", "true");
    // A value set on the select itself (a script, a test) shows in the picker too.
    select.addEventListener("change", function () {
      var chosen = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; });
      var shown = [].concat(ts.getValue());
      if (chosen.join("\u0000") !== shown.join("\u0000")) ts.sync();
    });
  }

  function setOptions(select, options) {
    var keep = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
      .map(function (o) { return o.value; });
    var empty = select.querySelector("option[value='']");
    var ts = select.tomselect;
    if (ts) {
      // Someone may have opened the picker while the options were on their way:
      // it stays open, with the new options, instead of closing under their click.
      // Where the caret is decides too, whatever the picker's own focus flag says:
      // closing would empty the box they are typing in.
      var open = ts.isOpen || ts.isFocused || ts.control_input === document.activeElement;
      // What they have typed so far is theirs: it stays in the box and searches the
      // new options (setting the value empties the box).
      var query = ts.control_input.value;
      var kept = keep.filter(function (v) {
        return v === "" || options.some(function (o) { return String(o.value) === v; });
      });
      ts.clear(true);
      ts.clearOptions(function () { return false; });
      if (empty) ts.addOption({ value: "", text: empty.textContent });
      options.forEach(function (o) { ts.addOption({ value: String(o.value), text: o.label }); });
      ts.setValue(kept, true);
      if (query) ts.setTextboxValue(query);
      ts.refreshOptions(false);
      if (open) ts.open(); else ts.close();
      return;
    }
    select.innerHTML = "";
    if (empty) select.appendChild(empty);
    options.forEach(function (o) {
      var option = document.createElement("option");
      option.value = String(o.value);
      option.textContent = o.label;
      option.selected = keep.indexOf(option.value) !== -1;
      select.appendChild(option);
    });
  }

  function dependents(root) {
    root.querySelectorAll("select[data-narrowed-by]").forEach(function (select) {
      var parent = document.getElementById(select.dataset.narrowedBy);
      if (!parent || parent.dataset.narrowing) return;
      parent.dataset.narrowing = "1";
      var asked = parent.value;
      var latest = 0;
      parent.addEventListener("change", function () {
        var child = document.getElementById(select.id) || select;
        var value = parent.value;
        // A picker may announce the same choice twice; refilling the list
        // again would wipe what the person is typing in the dependent one.
        if (!value || value === asked) return;
        asked = value;
        var ticket = ++latest;
        fetch(child.dataset.optionsUrl + "?value=" + encodeURIComponent(value), {
          headers: { Accept: "application/json" }, credentials: "same-origin"
        }).then(function (response) {
          return response.ok ? response.json() : null;
        }).then(function (data) {
          // Only the answer to the latest choice counts.
          if (ticket === latest && data && data.options) setOptions(child, data.options);
        });
      });
    });
  }

  function counters(root) {
    root.querySelectorAll("[data-counter-for]").forEach(function (counter) {
      var field = document.getElementById(counter.dataset.counterFor);
      if (!field || field.dataset.counted) return;
      field.dataset.counted = "1";
      var limit = parseInt(counter.dataset.limit, 10);
      var described = (field.getAttribute("aria-describedby") || "").split(" ");
      if (described.indexOf(counter.id) === -1) {
        described.push(counter.id);
        field.setAttribute("aria-describedby", described.join(" ").trim());
      }
      function update() {
        var count = field.value.length;
        var over = count - limit;
        counter.textContent = over > 0
          ? counter.dataset.over.replace("__over__", over)
          : counter.dataset.template.replace("__count__", count).replace("__limit__", limit);
        counter.classList.toggle("over", over > 0);
        counter.setAttribute("aria-live", over > 0 ? "polite" : "off");
      }
      field.addEventListener("input", update);
      update();
    });
  }

  function focusSummary(root) {
    var summary = root.querySelector(".error-summary");
    if (summary) summary.focus();
  }

  // The characterization grid's "n of m characterized" follows the cells swapped in.
  function recount() {
    var count = document.getElementById("characterized-count");
    if (!count) return;
    var cells = document.querySelectorAll(".grid td.cell");
    var done = Array.prototype.filter.call(cells, function (td) {
      return ["FI", "LI", "PI", "NI"].indexOf(td.dataset.value) !== -1;
    }).length;
    count.textContent = count.dataset.template.replace("__done__", done)
      .replace("__total__", cells.length);
    var meter = document.getElementById("characterized-meter");
    if (meter) meter.value = done;
  }

  function enhance(root) {
    pickers(root);
    dependents(root);
    counters(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    focusSummary(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.isConnected) return;
    enhance(elt);
    // opf.js focused a swapped-in form's select before it became a picker
    var active = document.activeElement;
    if (active && active.tomselect) active.tomselect.focus();
    focusSummary(elt);
    recount();
  });
  // The error summary's links move to the field (or its picker) and focus it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    var focusable = target.tomselect ? target.tomselect.control_input : target;
    target.scrollIntoView({ block: "center" });
    focusable.focus();
  });
})();

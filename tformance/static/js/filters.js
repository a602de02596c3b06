/* The dashboard's filter form (#filters). htmx sends it on a "filters-change" event or a
   submit (Enter, Apply); this file decides when a change is worth sending, and puts the
   controls back as the URL says when Back or Forward restores a page. Listeners sit on the
   document, because a history restore replaces the form with a copy. */
(function () {
  "use strict";
  // A typed date field changes with every key (typing 2025 passes through 0002, 0020 and
  // 0202); it is sent once the typing pauses, or at once by Enter or Apply.
  var TYPING_PAUSE_MS = 500;
  var pending = null;

  function filterForm(node) {
    var form = node && node.form;
    return form && form.id === "filters" ? form : null;
  }

  function wait() {
    window.clearTimeout(pending);
    pending = null;
  }

  function send(form) {
    wait();
    form.dispatchEvent(new Event("filters-change"));
  }

  function showCustomDates(form) {
    var dates = form.querySelector(".custom-dates");
    if (dates) dates.hidden = form.elements.range.value !== "custom";
  }

  // A year below 1000 is a year still being typed, not a period anyone means.
  function whole(field) {
    return /^[1-9]\d{3}-\d\d-\d\d$/.test(field.value);
  }

  function onChange(event) {
    var form = filterForm(event.target);
    if (!form) return;
    var fields = form.elements;
    showCustomDates(form);
    if (fields.range.value !== "custom") return send(form);
    if (!whole(fields.start) || !whole(fields.end)) return wait();
    if (event.target.type !== "date") return send(form);
    wait();
    pending = window.setTimeout(function () { send(form); }, TYPING_PAUSE_MS);
  }

  function checked(value) {
    // As Django's BooleanField reads a query value.
    return value !== null && value !== "" && !/^(false|0)$/i.test(value);
  }

  // The controls as a fresh load of this URL would show them; a value that is not one of a
  // list's choices shows its default, as the server does.
  function restoreFromUrl(form) {
    var query = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      var value = query.get(field.name);
      if (field.type === "checkbox") {
        field.checked = checked(value);
      } else if (field.tagName === "SELECT") {
        field.value = value || "";
        if (field.selectedIndex < 0) field.value = field.dataset.default || "";
      } else {
        field.value = value || "";
      }
    });
    showCustomDates(form);
  }

  // The snapshot htmx keeps for Back, without the style attributes Chart.js puts on its
  // canvases: restored, the CSP would refuse them (and the charts are drawn again anyway).
  // Text cannot hold "<canvas" unescaped, so this matches canvas tags only.
  function withoutCanvasStyles(html) {
    return html.replace(/<canvas\b[^>]*>/g, function (tag) {
      return tag.replace(/\sstyle="[^"]*"/, "");
    });
  }

  document.addEventListener("change", onChange);
  document.addEventListener("submit", function (event) {
    if (event.target.id === "filters") wait();
  }, true);
  document.addEventListener("htmx:historyItemCreated", function (event) {
    event.detail.item.content = withoutCanvasStyles(event.detail.item.content);
  });
  document.addEventListener("htmx:historyRestore", function () {
    wait();
    var form = document.getElementById("filters");
    if (form) restoreFromUrl(form);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("filters");
    if (form) showCustomDates(form);
  });
})();

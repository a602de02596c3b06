// The repository picker: filter as you type, select all / none, a count of the selection.
// Delegated from `document`, so it also works on the list that htmx swaps in later.
(function () {
  "use strict";

  function picker(el) { return el.closest("[data-repo-picker]") || document; }

  function rows(scope) { return Array.from(scope.querySelectorAll(".repo-row")); }

  function updateCount(scope) {
    var out = scope.querySelector("[data-selected-count]");
    if (!out) return;
    var boxes = scope.querySelectorAll(".repo-row input[type=checkbox]");
    var checked = scope.querySelectorAll(".repo-row input[type=checkbox]:checked");
    out.textContent = boxes.length ? checked.length + " of " + boxes.length + " selected" : "";
  }

  function filter(scope, text) {
    var needle = text.trim().toLowerCase();
    var shown = 0;
    rows(scope).forEach(function (row) {
      var match = !needle || row.dataset.name.indexOf(needle) !== -1;
      row.hidden = !match;
      if (match) shown += 1;
    });
    var none = scope.querySelector("[data-no-match]");
    if (none) none.hidden = shown !== 0;
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-repo-search]")) {
      filter(picker(event.target), event.target.value);
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches(".repo-row input[type=checkbox]")) updateCount(picker(event.target));
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-select]");
    if (!button) return;
    var scope = picker(button);
    var on = button.dataset.select === "all";
    // Only the rows the filter shows: "select all" after typing "api" means the api repos.
    rows(scope).forEach(function (row) {
      if (!row.hidden) row.querySelector("input[type=checkbox]").checked = on;
    });
    updateCount(scope);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var scope = picker(event.target);
    var search = scope.querySelector("[data-repo-search]");
    if (search && search.value) filter(scope, search.value);
    updateCount(scope);
  });
})();

// The sync table: poll the JSON status endpoint every few seconds and update each row.
(function () {
  "use strict";
  var INTERVAL_MS = 3000;
  var table = document.querySelector("[data-sync-status-url]");
  if (!table) return;
  var url = table.dataset.syncStatusUrl;

  function render(row, repo) {
    row.dataset.status = repo.status;
    row.className = "sync-row sync-" + repo.status;
    row.querySelector("[data-field=label]").textContent = repo.label;
    row.querySelector("[data-field=detail]").textContent = repo.detail;
    var bar = row.querySelector("[data-field=progress]");
    if (repo.percent === null) bar.removeAttribute("value"); else bar.value = repo.percent;
    row.querySelector("[data-field=counts]").textContent = repo.counts;
    row.querySelector("[data-action=retry]").hidden = !repo.can_retry;
    row.querySelector("[data-action=skip]").hidden = !repo.can_skip;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        data.repositories.forEach(function (repo) {
          var row = table.querySelector("tr[data-repository='" + repo.id + "']");
          if (row) render(row, repo);
        });
        ["pull_requests", "members"].forEach(function (key) {
          var el = document.querySelector("[data-summary=" + key + "]");
          if (el) el.textContent = data[key].toLocaleString("en-US");
        });
        var done = document.querySelector("[data-import-done]");
        if (done) {
          done.hidden = !data.all_done;
          done.querySelector("[data-field=done-text]").textContent = data.done_text;
        }
      })
      .catch(function () { /* keep the last known state; the next poll tries again */ })
      .finally(function () { setTimeout(poll, INTERVAL_MS); });
  }

  setTimeout(poll, INTERVAL_MS);
})();

/* Dashboard charts (Chart.js, served from our static files); the filter form is filters.js.
   Charts are (re)built whenever htmx swaps new content in. */
(function () {
  "use strict";
  var charts = [];
  var colors = { merged: "#0969da", ai: "#8250df", cycle: "#1f2328", coding: "#8250df", pickup: "#bf8700", review: "#0969da" };

  function destroyCharts() {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
  }

  function goTo(links) {
    return function (event, elements) {
      if (elements.length && links && links[elements[0].index]) {
        window.location.href = links[elements[0].index];
      }
    };
  }

  function build() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof Chart === "undefined") return;
    destroyCharts();
    var data = JSON.parse(source.textContent);
    var w = data.weekly;
    var base = { responsive: true, maintainAspectRatio: false, animation: false, interaction: { mode: "index", intersect: false } };
    var throughput = document.querySelector("canvas[data-chart=throughput]");
    if (throughput) {
      charts.push(new Chart(throughput, {
        data: {
          labels: w.labels,
          datasets: [
            { type: "bar", label: "PRs merged", data: w.merged, backgroundColor: colors.merged, yAxisID: "y" },
            { type: "line", label: "AI-assisted %", data: w.ai_share, borderColor: colors.ai, backgroundColor: colors.ai, yAxisID: "share", spanGaps: true, tension: 0 }
          ]
        },
        options: Object.assign({}, base, {
          onClick: goTo(w.links),
          scales: {
            y: { beginAtZero: true, title: { display: true, text: "PRs merged" }, ticks: { precision: 0 } },
            share: { position: "right", beginAtZero: true, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: "AI-assisted %" } }
          }
        })
      }));
    }
    var stages = document.querySelector("canvas[data-chart=stages]");
    if (stages) {
      charts.push(new Chart(stages, {
        data: {
          labels: w.labels,
          datasets: [
            { type: "bar", label: "Coding", data: w.coding, backgroundColor: colors.coding, stack: "stages" },
            { type: "bar", label: "Pickup", data: w.pickup, backgroundColor: colors.pickup, stack: "stages" },
            { type: "bar", label: "Review", data: w.review, backgroundColor: colors.review, stack: "stages" },
            { type: "line", label: "Cycle time", data: w.cycle, borderColor: colors.cycle, backgroundColor: colors.cycle, spanGaps: true, tension: 0.3 }
          ]
        },
        options: Object.assign({}, base, {
          onClick: goTo(w.links),
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: "hours (median)" } } }
        })
      }));
    }
  }

  document.addEventListener("DOMContentLoaded", build);
  document.addEventListener("htmx:afterSettle", build);
})();

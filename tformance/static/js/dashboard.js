/* Dashboard charts (Chart.js, served from our static files); the filter form is filters.js.
   Charts are (re)built whenever htmx swaps new content in. */
(function () {
  "use strict";
  var charts = [];
  var colors = {
    merged: "#0969da", ai: "#8250df", cycle: "#1f2328", coding: "#8250df", pickup: "#bf8700", review: "#0969da",
    bug: "#cf222e", feature: "#1a7f37", chore: "#6e7781", unlinked: "#d0d7de"
  };

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

  // Weeks: a partial week (in progress, or cut by the period or the history) is drawn
  // paler, with what it leaves out in its label and tooltip; a week before the imported
  // history is shaded and labelled "not imported" instead of being drawn as zero.
  var NOT_IMPORTED = "not_imported", PARTIAL = "partial";

  function weekLabels(w) {
    return w.labels.map(function (label, i) {
      if (w.status[i] === PARTIAL) return [label, w.notes[i].indexOf("in progress") >= 0 ? "so far" : "partial"];
      return label;
    });
  }

  function perWeek(color, w) {
    return w.status.map(function (status) { return status === PARTIAL ? color + "66" : color; });
  }

  // Shades each run of weeks before the imported history and writes "not imported" on it.
  var notImportedBand = {
    id: "notImportedBand",
    beforeDatasetsDraw: function (chart) {
      var status = chart.config.options.weekStatus || [];
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      var half = x.width / Math.max(1, status.length) / 2;
      var runs = [], first = null;
      status.concat([null]).forEach(function (s, i) {
        if (s === NOT_IMPORTED && first === null) first = i;
        if (s !== NOT_IMPORTED && first !== null) { runs.push([first, i - 1]); first = null; }
      });
      ctx.save();
      runs.forEach(function (run) {
        var left = x.getPixelForValue(run[0]) - half, right = x.getPixelForValue(run[1]) + half;
        ctx.fillStyle = "rgba(101, 109, 118, 0.12)";
        ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
        ctx.fillStyle = "#57606a";
        ctx.font = "12px system-ui, sans-serif";
        ctx.textAlign = "center";
        if (right - left > ctx.measureText("not imported").width + 8) {
          ctx.fillText("not imported", (left + right) / 2, area.top + 16);
        }
      });
      ctx.restore();
    }
  };

  function number(value, digits) {
    return Number(value).toLocaleString("en", { maximumFractionDigits: digits });
  }

  // Tooltips with units: "PRs merged: 1,240", "Pickup: 25.8 h", "AI-assisted: 40 %", and
  // what a partial week leaves out.
  function tooltip(w, unit) {
    return {
      callbacks: {
        title: function (items) { return items.length ? w.labels[items[0].dataIndex] : ""; },
        label: function (item) {
          if (item.raw === null || item.raw === undefined) return item.dataset.label + ": –";
          return item.dataset.label + ": " + unit(item.dataset, item.raw);
        },
        footer: function (items) { return items.length ? w.notes[items[0].dataIndex] : ""; }
      }
    };
  }

  function throughputUnit(dataset, value) {
    return dataset.yAxisID === "share" ? number(value, 0) + " %" : number(value, 0);
  }

  function hoursUnit(dataset, value) { return number(value, 1) + " h"; }

  function weeklyChart(canvas, w, datasets, unit, scales) {
    return new Chart(canvas, {
      data: { labels: weekLabels(w), datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        onClick: goTo(w.links),
        weekStatus: w.status,
        plugins: { tooltip: tooltip(w, unit) },
        scales: scales
      },
      plugins: [notImportedBand]
    });
  }

  function throughputChart(canvas, w) {
    return weeklyChart(canvas, w, [
      { type: "bar", label: "PRs merged", data: w.merged, backgroundColor: perWeek(colors.merged, w), yAxisID: "y" },
      { type: "line", label: "AI-assisted", data: w.ai_share, borderColor: colors.ai, backgroundColor: colors.ai, yAxisID: "share", spanGaps: true, tension: 0 }
    ], throughputUnit, {
      y: { beginAtZero: true, title: { display: true, text: "PRs merged" }, ticks: { precision: 0 } },
      share: { position: "right", beginAtZero: true, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: "AI-assisted %" } }
    });
  }

  function stagesChart(canvas, w) {
    var stage = function (label, key) {
      return { type: "bar", label: label, data: w[key], backgroundColor: perWeek(colors[key], w), stack: "stages" };
    };
    return weeklyChart(canvas, w, [
      stage("Coding", "coding"),
      stage("Pickup", "pickup"),
      stage("Review", "review"),
      { type: "line", label: "Cycle time", data: w.cycle, borderColor: colors.cycle, backgroundColor: colors.cycle, spanGaps: true, tension: 0.3 }
    ], hoursUnit, {
      x: { stacked: true },
      y: { stacked: true, beginAtZero: true, title: { display: true, text: "hours (median)" } }
    });
  }

  function mixChart(canvas, m) {
    var kind = function (label, key) {
      return { type: "bar", label: label, data: m[key], backgroundColor: colors[key], stack: "mix" };
    };
    return new Chart(canvas, {
      data: {
        labels: m.labels,
        datasets: [kind("Bugs", "bug"), kind("Features", "feature"), kind("Chores", "chore"), kind("Not linked", "unlinked")]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        onClick: goTo(m.links),
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "PRs merged" } }
        }
      }
    });
  }

  function build() {
    if (typeof Chart === "undefined") return;
    destroyCharts();
    var jira = document.getElementById("jira-charts");
    var mix = document.querySelector("canvas[data-chart=mix]");
    if (jira && mix) charts.push(mixChart(mix, JSON.parse(jira.textContent).mix));
    var source = document.getElementById("dashboard-charts");
    if (!source) return;
    var w = JSON.parse(source.textContent).weekly;
    var throughput = document.querySelector("canvas[data-chart=throughput]");
    if (throughput) charts.push(throughputChart(throughput, w));
    var stages = document.querySelector("canvas[data-chart=stages]");
    if (stages) charts.push(stagesChart(stages, w));
  }

  document.addEventListener("DOMContentLoaded", build);
  document.addEventListener("htmx:afterSettle", build);
})();

/* Dashboard charts: reads the figures from the json_script element #dashboard-data (no
   inline script: the content security policy forbids it) and draws them with ECharts.
   The map geometry is the Sichuan GeoJSON shipped with ECharts 4.9 (installed from npm),
   fetched from our own static files and registered once. */
(function () {
  "use strict";
  // Tooltips are drawn on the canvas (richText): HTML tooltips carry inline style attributes,
  // which the content security policy blocks.
  var COLORS = { green: "#2e9d4f", blue: "#2f6fd6", yellow: "#e0b000", red: "#d23c3c", none: "#bbbbbb",
    active: "#2f6fd6", completed: "#2e9d4f" };

  function pie(el, items) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}: {c} ({d}%)" },
      series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b}\n{c}" },
        data: items.filter(function (i) { return i.value > 0; }).map(function (i) {
          return { name: i.name, value: i.value, itemStyle: { color: COLORS[i.key] || undefined } };
        }) }]
    });
    return chart;
  }

  function trend(el, data, labels) {
    // Every period of the year is on the axis (interval 0: no label is hidden); a period
    // without reports is a gap in the progress line, never skipped.
    var chart = echarts.init(el);
    var current = data.labels.indexOf(data.current);
    chart.setOption({
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 40, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0 } },
      yAxis: { type: "value", min: 0, max: 100, name: "%" },
      series: [
        { name: labels.trend, type: "line", data: data.values, connectNulls: false, smooth: false,
          itemStyle: { color: COLORS.blue },
          markLine: current < 0 ? undefined : { symbol: "none", silent: true, label: { show: false },
            lineStyle: { color: "#888", type: "dashed" }, data: [{ xAxis: current }] } },
        { name: labels.expected, type: "line", data: data.expected, smooth: false,
          itemStyle: { color: "#888" }, lineStyle: { type: "dashed" } }
      ]
    });
    return chart;
  }

  function mapChart(el, prefectures, labels) {
    var url = el.getAttribute("data-geo-url");
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
      var byCode = {};
      prefectures.forEach(function (p) { byCode[p.adcode] = p; });
      // Name the features by our unit names so tooltips and data agree (matched by adcode).
      geo.features.forEach(function (f) {
        var p = byCode[String(f.id || f.properties.id)];
        if (p) { f.properties.name = p.name; }
      });
      echarts.registerMap("sichuan-prefectures", geo);
      var chart = echarts.init(el);
      chart.setOption({
        tooltip: { trigger: "item", renderMode: "richText", formatter: function (params) {
          var p = params.data;
          if (!p || p.value === null || p.value === undefined) { return params.name + ": " + labels.nodata; }
          return params.name + "\n" + labels.rate + ": " + p.value + "\n" + labels.tasks + ": " + p.tasks;
        } },
        visualMap: { min: 0, max: 100, left: "left", bottom: 10, text: ["100%", "0%"], calculable: true,
          inRange: { color: ["#f6d0c4", "#f2c14e", "#2e9d4f"] } },
        series: [{ type: "map", map: "sichuan-prefectures", roam: true, label: { show: true, fontSize: 10 },
          data: prefectures.map(function (p) { return { name: p.name, value: p.value, tasks: p.tasks, url: p.url }; }) }]
      });
      // A click on a city opens its dashboard (where the viewer may open it).
      chart.on("click", function (params) {
        if (params.data && params.data.url) { window.location.assign(params.data.url); }
      });
      return chart;
    });
  }

  function investment(el, data) {
    // Major projects: planned against actual cumulative investment by month (万元).
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 70, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.months, axisLabel: { interval: 0 } },
      yAxis: { type: "value" },
      series: [
        { name: data.labels.plan, type: "line", data: data.plan, itemStyle: { color: "#888" },
          lineStyle: { type: "dashed" } },
        { name: data.labels.actual, type: "bar", data: data.actual, itemStyle: { color: COLORS.blue } }
      ]
    });
    return chart;
  }

  function init() {
    var node = document.getElementById("dashboard-data");
    if (!node || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var el = document.getElementById("chart-status");
    if (el) { planwatchCharts.watch(pie(el, data.status)); }
    el = document.getElementById("chart-lights");
    if (el) { planwatchCharts.watch(pie(el, data.lights)); }
    el = document.getElementById("chart-trend");
    if (el) { planwatchCharts.watch(trend(el, data.trend, data.labels)); }
    el = document.getElementById("chart-map");
    if (el) { mapChart(el, data.prefectures, data.labels).then(planwatchCharts.watch); }
    // The major-projects panel arrives later (htmx partial, ?part=projects) with its figures.
    function drawProjects() {
      var figures = document.getElementById("projects-data");
      var target = document.getElementById("chart-projects");
      if (figures && target && !target.getAttribute("data-drawn")) {
        target.setAttribute("data-drawn", "1");
        planwatchCharts.watch(investment(target, JSON.parse(figures.textContent)));
      }
    }
    document.body.addEventListener("htmx:afterSettle", drawProjects);
    drawProjects();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();

/* Integration index charts: the index over time per place, a radar of the dimensions in the
   latest year, the cities side by side and the convergence measures (ECharts). */
(function () {
  "use strict";

  function init() {
    var node = document.getElementById("index-data");
    if (!node || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var el = document.getElementById("chart-trend");
    if (el) {
      var trend = echarts.init(el);
      trend.setOption({
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", data: data.series.map(function (s) { return s.name; }) },
        xAxis: { type: "category", data: data.years },
        yAxis: { type: "value", scale: true },
        series: data.series.map(function (s) { return { name: s.name, type: "line", data: s.data }; })
      });
      planwatchCharts.watch(trend);
    }
    el = document.getElementById("chart-radar");
    if (el && data.dimensions.length >= 2) {
      var max = 0;
      data.radar.forEach(function (r) { r.value.forEach(function (v) { if (v !== null && v > max) { max = v; } }); });
      var radar = echarts.init(el);
      radar.setOption({
        tooltip: {},
        legend: { type: "scroll", bottom: 0, data: data.radar.map(function (r) { return r.name; }) },
        radar: { indicator: data.dimensions.map(function (d) { return { name: d, max: Math.ceil(max * 1.1) || 100 }; }) },
        series: [{ type: "radar", data: data.radar.map(function (r) {
          return { name: r.name, value: r.value.map(function (v) { return v === null ? 0 : v; }) };
        }) }]
      });
      planwatchCharts.watch(radar);
    }
    el = document.getElementById("chart-cities");
    if (el) {
      var bars = echarts.init(el);
      bars.setOption({
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.cities, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", scale: true },
        series: [{ name: data.labels.index + " " + data.latest, type: "bar", data: data.city_totals }]
      });
      planwatchCharts.watch(bars);
    }
    el = document.getElementById("chart-convergence");
    if (el) {
      var conv = echarts.init(el);
      conv.setOption({
        tooltip: { trigger: "axis" },
        legend: { data: [data.labels.cv, data.labels.theil] },
        xAxis: { type: "category", data: data.convergence.years },
        yAxis: { type: "value" },
        series: [
          { name: data.labels.cv, type: "line", data: data.convergence.cv },
          { name: data.labels.theil, type: "line", data: data.convergence.theil }
        ]
      });
      planwatchCharts.watch(conv);
    }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();

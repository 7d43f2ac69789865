/* Portal charts (ECharts from npm, served from our static): the schematic Sichuan map with
   the cities of the published projects shaded by how many they have, and an indicator's
   verified values against its planned path. Every chart repeats a table on the page. */
(function () {
  "use strict";
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function cityMap() {
    var map = data("portal-map");
    var el = document.getElementById("chart-portal-map");
    if (!map || !el || typeof echarts === "undefined") { return; }
    var wanted = {};
    map.cities.forEach(function (c) { wanted[c.adcode] = c; });
    fetch(el.getAttribute("data-geo-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        var values = [];
        var max = 1;
        geo.features.forEach(function (f) {
          var code = String(f.id || f.properties.id);
          var city = wanted[code];
          if (city) {
            f.properties.name = city.name;
            values.push({ name: city.name, value: city.count });
            max = Math.max(max, city.count);
          }
        });
        echarts.registerMap("sichuan-portal", geo);
        var chart = echarts.init(el);
        chart.setOption({
          tooltip: { trigger: "item", renderMode: "richText", formatter: function (p) {
            return p.name + (p.value ? "：" + p.value : ""); } },
          visualMap: { min: 0, max: max, show: false, inRange: { color: ["#d6e4f7", "#0a4fbf"] } },
          series: [{ name: el.getAttribute("data-series"), type: "map", map: "sichuan-portal",
            roam: false, label: { show: false }, data: values,
            itemStyle: { areaColor: "#eeeeee", borderColor: "#888888" },
            emphasis: { label: { show: true } } }]
        });
        planwatchCharts.watch(chart);
      });
  }
  function indicatorChart() {
    var d = data("portal-indicator");
    var el = document.getElementById("chart-portal-indicator");
    if (!d || !el || typeof echarts === "undefined") { return; }
    var years = d.years.map(String);
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [el.getAttribute("data-path"), el.getAttribute("data-observed")] },
      grid: { left: 56, right: 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: years },
      yAxis: { type: "value", scale: true },
      series: [
        { name: el.getAttribute("data-path"), type: "line", color: "#555d68",
          lineStyle: { type: "dashed" },
          data: years.map(function (y) { return d.path[y] === undefined ? null : d.path[y]; }) },
        { name: el.getAttribute("data-observed"), type: "line", color: "#a8231b",
          connectNulls: true, symbolSize: 8,
          data: years.map(function (y) { return d.observed[y] === undefined ? null : d.observed[y]; }) }
      ]
    });
    planwatchCharts.watch(chart);
  }
  function init() { cityMap(); indicatorChart(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();

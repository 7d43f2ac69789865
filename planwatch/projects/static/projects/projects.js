/* Project page charts (ECharts, npm): planned against actual cumulative investment by month,
   and the Sichuan map with the cities the project is built in or crosses highlighted, a
   marker at each city's centre (the GeoJSON's `cp`; projects carry no coordinates). */
(function () {
  "use strict";
  function cityMap() {
    var node = document.getElementById("project-map");
    var el = document.getElementById("chart-project-map");
    if (!node || !el || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var wanted = {};
    data.cities.forEach(function (c) { wanted[c.adcode] = c.name; });
    fetch(el.getAttribute("data-geo-url"), { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
      var points = [];
      geo.features.forEach(function (f) {
        var code = String(f.id || f.properties.id);
        if (wanted[code]) {
          f.properties.name = wanted[code];
          if (f.properties.cp) { points.push({ name: wanted[code], value: f.properties.cp }); }
        }
      });
      echarts.registerMap("sichuan-project", geo);
      var chart = echarts.init(el);
      chart.setOption({
        tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}" },
        geo: { map: "sichuan-project", roam: true, label: { show: false },
          itemStyle: { areaColor: "#eeeeee", borderColor: "#999999" },
          regions: data.cities.map(function (c) {
            return { name: c.name, label: { show: true }, itemStyle: { areaColor: "#9cc3f0" } };
          }) },
        series: [{ name: data.labels.city, type: "scatter", coordinateSystem: "geo", data: points,
          symbol: "pin", symbolSize: 28, itemStyle: { color: "#d23c3c" } }]
      });
      planwatchCharts.watch(chart);
    });
  }

  function init() {
    cityMap();
    var node = document.getElementById("project-chart");
    var el = document.getElementById("chart-investment");
    if (!node || !el || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.plan, data.labels.actual] },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value" },
      series: [
        { name: data.labels.plan, type: "line", data: data.plan, lineStyle: { type: "dashed" } },
        { name: data.labels.actual, type: "bar", data: data.actual }
      ]
    });
    planwatchCharts.watch(chart);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();

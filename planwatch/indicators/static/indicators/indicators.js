/* Indicator page charts: the actual line against the expected path, and the prefectures
   coloured by status (map geometry: the Sichuan GeoJSON shipped with ECharts 4.9, from npm). */
(function () {
  "use strict";

  function pathChart(el, data) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.expected, data.labels.actual] },
      xAxis: { type: "category", data: data.years },
      yAxis: { type: "value", name: data.unit, scale: true },
      series: [
        { name: data.labels.expected, type: "line", data: data.expected, lineStyle: { type: "dashed" } },
        { name: data.labels.actual, type: "line", data: data.actual, connectNulls: true }
      ]
    });
    return chart;
  }

  function mapChart(el, data) {
    return fetch(el.getAttribute("data-geo-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        var byCode = {};
        data.prefectures.forEach(function (p) { byCode[p.adcode] = p; });
        geo.features.forEach(function (f) {
          var p = byCode[String(f.id || f.properties.id)];
          if (p) { f.properties.name = p.name; }
        });
        echarts.registerMap("sichuan-indicator", geo);
        var chart = echarts.init(el);
        chart.setOption({
          tooltip: { trigger: "item", renderMode: "richText", formatter: function (params) {
            var p = params.data;
            if (!p) { return params.name + ": " + data.labels.nodata; }
            return params.name + " " + p.year + "\n" + p.value + " " + data.unit + "\n" + data.labels.status + ": " + (p.status || "—");
          } },
          series: [{ type: "map", map: "sichuan-indicator", roam: true, label: { show: true, fontSize: 10 },
            data: data.prefectures.map(function (p) {
              return { name: p.name, value: p.value, year: p.year, status: p.status, itemStyle: { areaColor: p.colour } };
            }) }]
        });
        return chart;
      });
  }

  function init() {
    var node = document.getElementById("indicator-data");
    if (!node || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var el = document.getElementById("chart-path");
    if (el) { planwatchCharts.watch(pathChart(el, data)); }
    el = document.getElementById("chart-map");
    if (el) { mapChart(el, data).then(planwatchCharts.watch); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();

/* Project page chart: planned against actual cumulative investment by month (ECharts, npm). */
(function () {
  "use strict";
  function init() {
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
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();

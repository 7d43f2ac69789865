// Charts (ECharts) follow the window's size: one listener for all of a page's charts, loaded
// before each page's chart script. A chart whose box is empty is left as it is: ECharts' map
// layout divides by the box and throws on an empty one, and Chromium shrinks the window to
// 1×1 while it captures a full page.
(function () {
  "use strict";
  var charts = [];
  var resizing = false;
  window.addEventListener("resize", function () {
    if (resizing) return;
    resizing = true;
    window.requestAnimationFrame(function () {
      resizing = false;
      charts.forEach(function (chart) {
        var box = chart.getDom();
        if (!chart.isDisposed() && box.clientWidth > 0 && box.clientHeight > 0) chart.resize();
      });
    });
  });
  window.planwatchCharts = {
    watch: function (chart) {
      if (chart) charts.push(chart);
      return chart;
    }
  };
})();

// Draws each section of the dashboard with Apache ECharts (static/vendor/echarts); the same numbers are in the
// table beside each chart. Clicking a bar opens the filtered list behind it, when there is one.
(function () {
  "use strict";
  if (!window.echarts) return;
  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var data = JSON.parse(document.getElementById(node.dataset.chart).textContent);
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 40, top: 8, bottom: data.axis ? 28 : 8, containLabel: true },
      // The axis name comes translated from the view, like every label of the chart.
      xAxis: { type: "value", minInterval: 1, name: data.axis || "", nameLocation: "middle", nameGap: 24 },
      yAxis: { type: "category", inverse: true, data: data.labels, axisLabel: { width: 150, overflow: "truncate" } },
      tooltip: { trigger: "axis" },
      series: [{ type: "bar", data: data.values, itemStyle: { color: "#1f5fa8" }, label: { show: true, position: "right" } }]
    });
    chart.on("click", function (params) {
      var link = data.links[params.dataIndex];
      if (link) window.location.href = link;
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();

// Draws each section of the dashboard with Apache ECharts (static/vendor/echarts); the same numbers are in the
// table beside each chart. Clicking a bar opens the filtered list behind it, when there is one.
// Long labels (English ones especially) wrap onto more lines instead of being cut off: the label column takes up
// to 40% of the chart's width and the chart grows with the lines its labels need.
(function () {
  "use strict";
  if (!window.echarts) return;
  var FONT = "12px sans-serif";
  var LINE = 15;
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = FONT;

  function linesOf(label, width) {
    // Words for Latin text, characters for Chinese: the number of lines ECharts' "break" overflow needs.
    var lines = 1;
    var used = 0;
    var space = measure.measureText(" ").width;
    String(label).split(/(\s+)/).forEach(function (word) {
      if (!word.trim()) return;
      var w = measure.measureText(word).width;
      if (used > 0 && used + space + w > width) {
        lines += 1;
        used = 0;
      }
      while (w > width) {
        lines += 1;
        w -= width;
      }
      used += (used > 0 ? space : 0) + w;
    });
    return lines;
  }

  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var data = JSON.parse(document.getElementById(node.dataset.chart).textContent);
    var labelWidth = Math.max(90, Math.min(Math.round((node.clientWidth || 400) * 0.4), 260));
    var height = data.labels.reduce(function (sum, label) {
      return sum + Math.max(26, linesOf(label, labelWidth) * LINE + 10);
    }, data.axis ? 48 : 24);
    node.style.height = Math.max(120, height) + "px";
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 40, top: 8, bottom: data.axis ? 28 : 8, containLabel: true },
      // The axis name comes translated from the view, like every label of the chart: it names the column drawn.
      xAxis: { type: "value", minInterval: 1, name: data.axis || "", nameLocation: "middle", nameGap: 24 },
      yAxis: {
        type: "category",
        inverse: true,
        data: data.labels,
        axisLabel: { width: labelWidth, overflow: "break", lineHeight: LINE, interval: 0 }
      },
      tooltip: { trigger: "axis" },
      series: [{
        type: "bar",
        name: data.axis || "",
        data: data.values,
        itemStyle: { color: "#1f5fa8" },
        label: { show: true, position: "right" }
      }]
    });
    chart.on("click", function (params) {
      var link = data.links[params.dataIndex];
      if (link) window.location.href = link;
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();

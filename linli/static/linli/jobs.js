// Charts of the doorstep-jobs statistics page (data in the #jobs-chart JSON script).
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("jobs-chart");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var months = echarts.init(document.getElementById("chart-months"));
  months.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 48, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: [{ type: "value" }, { type: "value" }],
    series: [
      { name: "人数", type: "bar", data: data.employed },
      { name: "平均收入", type: "line", yAxisIndex: 1, data: data.average },
      { name: "中位数", type: "line", yAxisIndex: 1, data: data.median },
    ],
  });
  var dist = echarts.init(document.getElementById("chart-dist"));
  dist.setOption({
    tooltip: {},
    grid: { left: 40, right: 10, bottom: 60 },
    xAxis: { type: "category", data: data.buckets, axisLabel: { rotate: 45 } },
    yAxis: { type: "value" },
    series: [{ type: "bar", data: data.counts }],
  });
  window.addEventListener("resize", function () { months.resize(); dist.resize(); });
});
// A statement's print button (no inline handlers: the CSP forbids them).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) window.print();
});

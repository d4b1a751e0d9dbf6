/* Elderly-care board charts: reads the json_script #care-board-data written by care/board.html. */
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("care-board-data").textContent);
  var common = {grid: {left: 40, right: 10, top: 40, bottom: 60}, tooltip: {trigger: "axis"}, legend: {top: 0}};
  var tasks = echarts.init(document.getElementById("chart-tasks"));
  tasks.setOption(Object.assign({}, common, {
    color: ["#206bc4", "#d63939"],
    xAxis: {type: "category", data: data.grids, axisLabel: {rotate: 45}},
    yAxis: {type: "value"},
    series: [
      {name: document.documentElement.lang.indexOf("zh") === 0 ? "未到期" : "Due", type: "bar", stack: "t", data: data.open},
      {name: document.documentElement.lang.indexOf("zh") === 0 ? "已超期" : "Overdue", type: "bar", stack: "t", data: data.overdue}
    ]
  }));
  var visited = echarts.init(document.getElementById("chart-visited"));
  visited.setOption(Object.assign({}, common, {
    color: ["#2fb344"],
    xAxis: {type: "category", data: data.grids, axisLabel: {rotate: 45}},
    yAxis: {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"}},
    series: [{name: "%", type: "bar", data: data.visited_pct}]
  }));
  window.addEventListener("resize", function () { tasks.resize(); visited.resize(); });
});

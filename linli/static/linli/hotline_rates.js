/* Hotline service-rates charts: reads the json_script #rates-data written by hotline/rates.html. */
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("rates-data").textContent);
  var colours = ["#206bc4", "#2fb344", "#f76707"];
  function series(rows) {
    return data.labels.map(function (label, i) {
      return {name: label, data: rows.map(function (r) { return r[i]; })};
    });
  }
  var common = {
    color: colours,
    tooltip: {trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; }},
    legend: {top: 0},
    grid: {left: 40, right: 10, top: 40, bottom: 60},
    yAxis: {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"}}
  };
  var byGrid = echarts.init(document.getElementById("chart-grid"));
  byGrid.setOption(Object.assign({}, common, {
    xAxis: {type: "category", data: data.grids, axisLabel: {rotate: 45}},
    series: series(data.grid_rates).map(function (s) { return Object.assign(s, {type: "bar"}); })
  }));
  var byMonth = echarts.init(document.getElementById("chart-month"));
  byMonth.setOption(Object.assign({}, common, {
    xAxis: {type: "category", data: data.months, axisLabel: {rotate: 45}},
    series: series(data.month_rates).map(function (s) { return Object.assign(s, {type: "line", connectNulls: true}); })
  }));
  window.addEventListener("resize", function () { byGrid.resize(); byMonth.resize(); });
});

/* Training base: trainee visits by year and by province; reads the json_script #training-totals written by training/totals.html. */
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("training-totals").textContent);
  var byYear = echarts.init(document.getElementById("chart-year"));
  byYear.setOption({
    color: ["#206bc4"],
    tooltip: {trigger: "axis"},
    grid: {left: 50, right: 10, top: 20, bottom: 30},
    xAxis: {type: "category", data: data.years},
    yAxis: {type: "value"},
    series: [{type: "bar", data: data.year_visits, label: {show: true, position: "top"}}]
  });
  var byProvince = echarts.init(document.getElementById("chart-province"));
  byProvince.setOption({
    color: ["#2fb344"],
    tooltip: {trigger: "axis"},
    grid: {left: 90, right: 50, top: 10, bottom: 20},
    xAxis: {type: "value"},
    yAxis: {type: "category", data: data.provinces.slice(0, 10).reverse()},
    series: [{type: "bar", data: data.province_visits.slice(0, 10).reverse(), label: {show: true, position: "right"}}]
  });
  window.addEventListener("resize", function () { byYear.resize(); byProvince.resize(); });
});

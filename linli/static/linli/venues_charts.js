/* Venue utilisation charts: reads the json_script #venues-data written by venues/utilisation.html. */
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("venues-data").textContent);
  var hours = [];
  for (var h = 0; h < 24; h++) hours.push(h + ":00");
  var heat = echarts.init(document.getElementById("chart-heat"));
  heat.setOption({
    tooltip: {position: "top"},
    grid: {left: 50, right: 10, top: 10, bottom: 70},
    xAxis: {type: "category", data: hours, splitArea: {show: true}},
    yAxis: {type: "category", data: data.weekdays, splitArea: {show: true}},
    visualMap: {min: 0, max: data.max || 1, calculable: true, orient: "horizontal", left: "center", bottom: 0},
    series: [{type: "heatmap", data: data.heat, emphasis: {itemStyle: {shadowBlur: 6}}}]
  });
  var rank = echarts.init(document.getElementById("chart-rank"));
  var rows = data.ranking.slice().reverse();
  rank.setOption({
    tooltip: {trigger: "axis", valueFormatter: function (v) { return v + "%"; }},
    grid: {left: 110, right: 20, top: 10, bottom: 20},
    xAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%"}},
    yAxis: {type: "category", data: rows.map(function (r) { return r.name; })},
    series: [{type: "bar", data: rows.map(function (r) { return r.rate; }), itemStyle: {color: "#206bc4"}}]
  });
  window.addEventListener("resize", function () { heat.resize(); rank.resize(); });
});

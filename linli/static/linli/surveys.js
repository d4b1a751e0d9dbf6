/* Surveys: skip logic on the questionnaire (a question with data-show-if is shown only when
   the earlier question's answer is one of data-show-values), and the results' and wellbeing
   charts (json_script #survey-charts / #wellbeing-data). */
document.addEventListener("DOMContentLoaded", function () {
  var questions = document.querySelectorAll(".survey-question[data-show-if]");
  function chosen(key) {
    return Array.prototype.map.call(
      document.querySelectorAll('input[name="' + key + '"]:checked'), function (i) { return i.value; });
  }
  function refresh() {
    questions.forEach(function (q) {
      var want = q.getAttribute("data-show-values").split("|");
      var have = chosen(q.getAttribute("data-show-if"));
      q.hidden = !have.some(function (v) { return want.indexOf(v) >= 0; });
    });
  }
  if (questions.length) { document.addEventListener("change", refresh); refresh(); }

  if (!window.echarts) return;
  var charts = [];
  var node = document.getElementById("survey-charts");
  if (node) {
    JSON.parse(node.textContent).forEach(function (c) {
      var box = document.getElementById(c.id);
      if (!box) return;
      var chart = echarts.init(box);
      chart.setOption({
        color: ["#206bc4"], tooltip: {trigger: "axis"},
        grid: {left: 40, right: 10, top: 10, bottom: 40},
        xAxis: {type: "category", data: c.labels, axisLabel: {interval: 0, rotate: c.labels.length > 5 ? 30 : 0}},
        yAxis: {type: "value", minInterval: 1},
        series: [{type: "bar", data: c.values, label: {show: true, position: "top"}}]
      });
      charts.push(chart);
    });
  }
  var wb = document.getElementById("wellbeing-data");
  if (wb) {
    var data = JSON.parse(wb.textContent);
    var chart = echarts.init(document.getElementById("chart-wellbeing"));
    chart.setOption({
      color: ["#206bc4", "#2fb344", "#f76707"], tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {left: 40, right: 10, top: 40, bottom: 30},
      xAxis: {type: "category", data: data.labels},
      yAxis: {type: "value", min: 60, max: 100},
      series: data.series.map(function (s) { return {name: s.name, type: "line", data: s.data, connectNulls: true}; })
    });
    charts.push(chart);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});

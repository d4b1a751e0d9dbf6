/* Cockpit charts: one ECharts chart per figure with a series, from the json_script
   #cockpit-charts written by cockpit/index.html and cockpit/screen.html. */
document.addEventListener("DOMContentLoaded", function () {
  // The big screen reloads itself (a <meta refresh> is an accessibility failure: WCAG 2.2.1).
  var refresh = Number(document.documentElement.getAttribute("data-refresh-seconds"));
  if (refresh > 0) window.setTimeout(function () { window.location.reload(); }, refresh * 1000);
  if (!window.echarts) return;
  var node = document.getElementById("cockpit-charts");
  if (!node) return;
  var dark = document.body.getAttribute("data-screen") === "1";
  var charts = [];
  JSON.parse(node.textContent).forEach(function (c) {
    var box = document.getElementById(c.id);
    if (!box) return;
    var chart = echarts.init(box, dark ? "dark" : null);
    chart.setOption({
      backgroundColor: "transparent",
      color: ["#206bc4", "#2fb344", "#f76707", "#d63939"],
      tooltip: {trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + (c.unit || ""); }},
      grid: {left: 50, right: 10, top: 20, bottom: 60},
      xAxis: {type: "category", data: c.labels, axisLabel: {rotate: c.labels.length > 6 ? 45 : 0}},
      yAxis: {type: "value", scale: c.kind === "line"},
      series: [{type: c.kind, data: c.values, connectNulls: true, smooth: c.kind === "line",
                label: {show: c.kind === "bar"}}]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (ch) { ch.resize(); }); });
});

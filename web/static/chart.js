// Draws the charts of a page with ECharts. Each chart is an element with
// data-chart="ID", where ID names a <script type="application/json"> block
// holding {kind, unit, decimals, periods, series}. Kind "categories" draws
// bars over named categories (departments) in place of periods, every
// label shown and wrapped to its bar's width. No inline script is
// needed, so the pages can run under a strict Content-Security-Policy.
(function () {
  "use strict";

  var font = getComputedStyle(document.body).fontFamily;

  function format(v, decimals) {
    return v === null || v === undefined ? "—" : Number(v).toFixed(decimals);
  }

  // categoryLabels shows every category's name, wrapped to its share of
  // the width; periods keep ECharts' own thinning of crowded labels.
  function categoryLabels(el, d) {
    if (d.kind !== "categories") {
      return {};
    }
    var width = (el.clientWidth - 88) / Math.max(d.periods.length, 1) - 8;
    return { interval: 0, width: Math.max(width, 40), overflow: "break" };
  }

  function draw(el) {
    var block = document.getElementById(el.getAttribute("data-chart"));
    if (!block || !window.echarts) {
      return;
    }
    var d = JSON.parse(block.textContent);
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      textStyle: { fontFamily: font },
      color: ["#0f4c81", "#c0262d", "#1f7a4d", "#a86400", "#6b4fa0", "#2a8c9a"],
      // Wrapped category names take what height they need.
      grid: d.kind === "categories" ? { left: 16, right: 24, top: 40, bottom: 8, containLabel: true } : { left: 64, right: 24, top: 40, bottom: 36 },
      legend: { top: 0, type: "scroll", show: d.series.length > 1 },
      tooltip: {
        trigger: "axis",
        valueFormatter: function (v) { return format(v, d.decimals) + " " + d.unit; }
      },
      xAxis: { type: "category", data: d.periods, axisLabel: categoryLabels(el, d) },
      // Rates and stocks move little against their size: let their axis
      // start near the data rather than at zero. Flows start at zero.
      yAxis: { type: "value", name: d.unit, scale: d.kind === "line", nameTextStyle: { align: "right" } },
      series: d.series.map(function (s) {
        return {
          name: s.name,
          type: s.target ? "line" : d.kind === "categories" ? "bar" : d.kind,
          data: s.data,
          connectNulls: true,
          barMaxWidth: 40,
          symbolSize: 7,
          lineStyle: s.target ? { type: "dashed" } : undefined
        };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();

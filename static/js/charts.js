// Draws every chart on the page from the figure JSON next to it (see
// templates/assessments/_chart.html). Needs vendor/plotly/plotly.min.js first.
(function () {
  "use strict";
  if (typeof Plotly === "undefined") {
    return;
  }
  var config = { displaylogo: false, displayModeBar: false, responsive: true };
  document.querySelectorAll("[data-chart-figure]").forEach(function (container) {
    var source = document.getElementById(container.getAttribute("data-chart-figure"));
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    Plotly.newPlot(container, figure.data, figure.layout, config);
  });
})();

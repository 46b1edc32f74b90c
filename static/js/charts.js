// Draws every chart on the page from the figure JSON next to it (see
// templates/results/_chart.html), each one as it comes near the screen.
// plotly.js (vendor/plotly/plotly-cx.min.js, about 1 MB to run) is named by
// the page's <link rel="prefetch" data-plotly>: the browser fetches it when idle,
// and it runs only once a chart is about to be seen, so a phone opening the page
// pays for none of it up front.
(function () {
  "use strict";
  var link = document.querySelector("link[data-plotly]");
  var styleLink = document.querySelector("link[data-plotly-css]");
  var containers = document.querySelectorAll("[data-chart-figure]");
  if (!link || !styleLink || !containers.length) {
    return;
  }
  var config = { displaylogo: false, displayModeBar: false, responsive: true };
  var plotly = null;

  // Each chart keeps the room it will take (data-chart-height) while it waits
  // to be drawn. The stylesheet reads the attribute where the browser can
  // (typed attr()); elsewhere it is set here, before the first chart draws.
  if (!(window.CSS && CSS.supports("min-height", "attr(data-chart-height px)"))) {
    containers.forEach(function (container) {
      container.style.minHeight = container.getAttribute("data-chart-height") + "px";
    });
  }

  function load(element) {
    return new Promise(function (resolve, reject) {
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  // plotly.js would put its stylesheet in an inline <style>, which the
  // Content-Security-Policy refuses: it finds this <link> under the id and the
  // class that tell it the rules are there already (vendor/plotly/plotly-cx.css).
  function loadPlotly() {
    if (!plotly) {
      var stylesheet = document.createElement("link");
      stylesheet.rel = "stylesheet";
      stylesheet.id = "plotly.js-style-global";
      stylesheet.className = "no-inline-styles";
      stylesheet.href = styleLink.href;
      var script = document.createElement("script");
      script.src = link.href;
      // The <link> goes in first, so that it is there when plotly.js runs.
      plotly = Promise.all([load(stylesheet), load(script)]).then(function () {
        return window.Plotly;
      });
    }
    return plotly;
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-chart-figure"));
    if (!source) {
      return;
    }
    loadPlotly().then(function (Plotly) {
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(container, figure.data, fitted(container, figure.layout), config);
    });
  }

  // On a phone a radar keeps its scale readable: slimmer margins for the corner
  // labels, a smaller font, and no taller than the circle needs.
  function fitted(container, layout) {
    var width = container.clientWidth;
    if (!layout.polar || width >= 576) {
      return layout;
    }
    var margin = Object.assign({}, layout.margin, { l: 85, r: 85 });
    var height = width - margin.l - margin.r + (margin.t || 0) + (margin.b || 0) + 40;
    container.style.minHeight = height + "px";
    return Object.assign({}, layout, {
      margin: margin,
      height: height,
      font: Object.assign({}, layout.font, { size: 11 }),
    });
  }

  if (!("IntersectionObserver" in window)) {
    containers.forEach(draw);
    return;
  }
  // A little ahead of the screen, so that a chart is mostly drawn as it scrolls in.
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    },
    { rootMargin: "100px 0px" }
  );
  containers.forEach(function (container) {
    observer.observe(container);
  });
})();

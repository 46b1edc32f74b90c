// The partial plotly.js bundle served as static/vendor/plotly/plotly-cx.min.js:
// plotly.js's core (which brings the scatter trace) and the other trace types
// the charts of results/charts.py use. Add a trace here when a chart needs one,
// then run `make plotly-bundle`.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/scatterpolar'),
    require('plotly.js/lib/indicator'),
]);

module.exports = Plotly;

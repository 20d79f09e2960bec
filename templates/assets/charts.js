// Draws every <div class="chart" data-spec="NAME" data-source="ID"> with the spec NAME from
// charts-specs.js and the rows of the JSON island #ID, using the vendored Vega bundle.
(function () {
  "use strict";
  if (!window.vegaEmbed || !window.CHART_SPECS) { return; }
  var charts = document.querySelectorAll(".chart[data-spec]");
  for (var i = 0; i < charts.length; i++) {
    var element = charts[i];
    var spec = JSON.parse(JSON.stringify(window.CHART_SPECS[element.getAttribute("data-spec")]));
    var rows = JSON.parse(document.getElementById(element.getAttribute("data-source")).textContent);
    spec.data = {values: rows};
    window.vegaEmbed(element, spec, {actions: false, renderer: "svg"}).catch(function (error) {
      element.textContent = String(error);
      console.error(error);
    });
  }
}());

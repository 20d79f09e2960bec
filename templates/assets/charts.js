// Draws every <div class="chart" data-spec="NAME" data-source="ID"> with the spec NAME from
// charts-specs.js and the rows of the JSON island #ID, using the vendored Vega bundle.
(function () {
  "use strict";
  if (!window.vegaEmbed || !window.CHART_SPECS) { return; }
  function draw(element) {
    var spec = JSON.parse(JSON.stringify(window.CHART_SPECS[element.getAttribute("data-spec")]));
    spec.data = {values: JSON.parse(document.getElementById(element.getAttribute("data-source")).textContent)};
    var target = document.createElement("div");  // beside the build-time SVG, which stays for printing
    element.appendChild(target);
    window.vegaEmbed(target, spec, {actions: false, renderer: "svg"}).then(function () {
      element.classList.add("drawn");
    }).catch(function (error) {
      element.textContent = String(error);
      console.error(error);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".chart[data-spec]"), draw);
}());

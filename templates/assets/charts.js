// Draws every <div class="chart" data-spec="NAME" data-source="ID"> with the spec NAME from
// charts-specs.js and the rows of the JSON island #ID, using the vendored Vega bundle.
(function () {
  "use strict";
  if (!window.vegaEmbed || !window.CHART_SPECS) { return; }
  // An island is a list of rows, or (a manager's history, to keep the page small) an object
  // of equally long columns: {"label": [...], "total": [...], "rank": [...]}.
  function rows(data) {
    if (Array.isArray(data)) { return data; }
    var names = Object.keys(data);
    return (names.length ? data[names[0]] : []).map(function (_, index) {
      var row = {};
      names.forEach(function (name) { row[name] = data[name][index]; });
      return row;
    });
  }
  function draw(element) {
    var spec = JSON.parse(JSON.stringify(window.CHART_SPECS[element.getAttribute("data-spec")]));
    spec.data = {values: rows(JSON.parse(document.getElementById(element.getAttribute("data-source")).textContent))};
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

// Finds managers and units by any part of a name or ID (Chinese included), offline.
(function () {
  "use strict";
  var index = window.SEARCH_INDEX || [];
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var count = document.getElementById("search-count");
  if (!input || !list) { return; }
  var LIMIT = 200;

  function render(text) {
    list.textContent = "";
    var query = text.trim().toLowerCase();
    if (query === "") { count.textContent = ""; return; }
    var found = 0;
    for (var i = 0; i < index.length; i++) {
      var entry = index[i];
      if ((entry.n + " " + entry.i).toLowerCase().indexOf(query) === -1) { continue; }
      found++;
      if (found > LIMIT) { continue; }
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.h;
      link.textContent = entry.n;
      item.appendChild(link);
      var detail = document.createElement("small");
      detail.textContent = " " + entry.i + " · " + (entry.k === "m" ? list.getAttribute("data-manager") : list.getAttribute("data-unit")) + (entry.u ? " · " + entry.u : "");
      item.appendChild(detail);
      list.appendChild(item);
    }
    count.textContent = String(found);
  }

  input.addEventListener("input", function () { render(input.value); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; }
  render(input.value);
}());

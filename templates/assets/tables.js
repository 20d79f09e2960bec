// Sortable, filterable tables without any library: click a header to sort (numbers as
// numbers, Chinese by the browser's zh collation), type in the search box or pick a
// filter to narrow the rows. Works from file:// and offline.
(function () {
  "use strict";
  var collator = new Intl.Collator(document.documentElement.lang || "zh-CN", {numeric: true});

  function cellValue(row, index) {
    var cell = row.cells[index];
    var sortKey = cell.getAttribute("data-sort");
    return sortKey !== null ? sortKey : cell.textContent.trim();
  }

  // A cell's number: separators and the unit after it ignored ("7,710.00 万元", "1 并列", "−9.9%");
  // NaN for text and blanks. A column carries one unit (万元 or 亿元 for the whole column), so the
  // numbers compare as they are.
  function numberOf(text) {
    var match = /^[+\-\u2212]?[0-9][0-9,]*(\.[0-9]+)?/.exec(text.replace(/^\s+/, ""));
    return match ? parseFloat(match[0].replace(/,/g, "").replace("\u2212", "-")) : NaN;
  }

  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    // the first click puts the best first: rank 1, or the highest score or amount
    var current = header.getAttribute("aria-sort");
    var ascending = current ? current !== "ascending" : header.getAttribute("data-sort-first") === "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var a = cellValue(r1, index), b = cellValue(r2, index);
      var x = numberOf(a), y = numberOf(b);
      if (isNaN(x) !== isNaN(y)) { return isNaN(x) ? 1 : -1; }  // blanks and "—" after the numbers, either way
      var order = isNaN(x) ? collator.compare(a, b) : x - y;
      return ascending ? order : -order;
    });
    var headers = table.tHead.rows[0].cells;
    for (var i = 0; i < headers.length; i++) { headers[i].removeAttribute("aria-sort"); }
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
  }

  // The text the search box looks in: the cells under headers marked data-searchable (name,
  // ID, unit), read once per row and kept, since sorting moves rows but never changes them.
  function searchText(row, columns) {
    if (row.searchText === undefined) {
      row.searchText = columns.map(function (index) { return row.cells[index].textContent; }).join(" ").toLowerCase();
    }
    return row.searchText;
  }

  function searchableColumns(table) {
    var columns = [];
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      if (header.hasAttribute("data-searchable")) { columns.push(index); }
    });
    return columns;
  }

  function applyFilters(table, controls) {
    var text = controls.search ? controls.search.value.trim().toLowerCase() : "";
    var selects = controls.selects;
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var visible = text === "" || searchText(row, controls.columns).indexOf(text) !== -1;
      for (var j = 0; visible && j < selects.length; j++) {
        var wanted = selects[j].value;
        visible = wanted === "" || row.getAttribute("data-" + selects[j].getAttribute("data-filter")) === wanted;
      }
      row.hidden = !visible;
      if (visible) { shown++; }
    }
    if (controls.count) { controls.count.textContent = String(shown); }
  }

  var tables = document.querySelectorAll("table[data-sortable]");
  Array.prototype.forEach.call(tables, function (table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (header.firstChild) { button.appendChild(header.firstChild); }
      header.appendChild(button);
      // the whole header cell sorts, not only its text: the button's click reaches it too
      header.addEventListener("click", function () { sortBy(table, index, header); });
    });
    var panel = document.getElementById(table.getAttribute("data-controls"));
    if (!panel) { return; }
    panel.hidden = false;
    var controls = {search: panel.querySelector("input[type=search]"), count: panel.querySelector("[data-role=count]"),
                    selects: panel.querySelectorAll("select[data-filter]"), columns: searchableColumns(table)};
    panel.addEventListener("input", function () { applyFilters(table, controls); });
    panel.addEventListener("change", function () { applyFilters(table, controls); });
  });
}());

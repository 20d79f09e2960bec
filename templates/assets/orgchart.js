// Org chart: expand or collapse every node, find a unit by name, and print fully expanded.
(function () {
  "use strict";
  var chart = document.querySelector(".org-chart");
  var toolbar = document.querySelector(".toolbar[data-js-only]");
  if (!chart || !toolbar) { return; }
  toolbar.hidden = false;
  var all = chart.getElementsByTagName("details");

  function setAll(open) {
    for (var i = 0; i < all.length; i++) { all[i].open = open; }
  }

  function openAncestors(element) {
    for (var node = element.parentElement; node && node !== chart; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
  }

  function find(text) {
    var cards = chart.querySelectorAll(".node");
    var found = 0;
    for (var i = 0; i < cards.length; i++) {
      var hit = text !== "" && cards[i].getAttribute("data-name").indexOf(text) !== -1;
      cards[i].classList.toggle("hit", hit);
      if (hit) { found++; openAncestors(cards[i]); }
    }
    toolbar.querySelector("[data-role=found]").textContent = text === "" ? "" : String(found);
    var first = chart.querySelector(".node.hit");
    if (first) { first.scrollIntoView({block: "center"}); }
  }

  toolbar.addEventListener("click", function (event) {
    var action = event.target.getAttribute("data-action");
    if (action === "expand") { setAll(true); }
    if (action === "collapse") { setAll(false); }
  });
  toolbar.querySelector("[data-action=find]").addEventListener("input", function (event) {
    find(event.target.value.trim());
  });

  var closedBeforePrint = [];
  window.addEventListener("beforeprint", function () {
    closedBeforePrint = [];
    for (var i = 0; i < all.length; i++) { if (!all[i].open) { closedBeforePrint.push(all[i]); all[i].open = true; } }
  });
  window.addEventListener("afterprint", function () {
    closedBeforePrint.forEach(function (d) { d.open = false; });
  });
}());

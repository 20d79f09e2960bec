// Site-wide behaviour: the phone menu button, print buttons, and <select data-navigate>
// switchers that go to the page their chosen option names. Loaded in the head, so that the
// "js" class (the menu folds only when the button can open it) is set before the first paint.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var toggle = header && header.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  showEveryPeriod(window.SITE_PERIODS);
  var selects = document.querySelectorAll("select[data-navigate]");
  Array.prototype.forEach.call(selects, function (select) {
    select.closest("[hidden]") && (select.closest("[hidden]").hidden = false);
    select.addEventListener("change", function () { if (select.value) { window.location.href = select.value; } });
  });
});

// The period this page belongs to: the first folder of its address below the site root.
function pagePeriod(root, periods) {
  "use strict";
  var base = new URL(root, window.location.href).href;
  var here = window.location.href.slice(base.length).split("/")[0];
  for (var i = 0; i < periods.length; i++) { if (periods[i].id === here) { return periods[i]; } }
  return null;
}

// Every period of the site as it is now (assets/periods.js), also on an archived snapshot's pages,
// which are never rewritten: the switcher lists them all, and a banner says when the page is not
// of the latest period.
function showEveryPeriod(site) {
  "use strict";
  if (!site || !site.periods.length) { return; }
  var root = document.documentElement.getAttribute("data-root") || "";
  var current = pagePeriod(root, site.periods);
  Array.prototype.forEach.call(document.querySelectorAll("select[data-navigate]"), function (select) {
    while (select.options.length) { select.remove(0); }
    site.periods.forEach(function (period) {
      var option = new Option(period.label, root + period.href, false, current !== null && period.id === current.id);
      select.add(option);
    });
  });
  if (current && site.latest && current.id !== site.latest.id) {
    var banner = document.createElement("p");
    banner.className = "notice archived";
    banner.appendChild(document.createTextNode(site.words.archived.replace("{period}", current.label) + " "));
    var link = document.createElement("a");
    link.href = root + site.latest.href;
    link.textContent = site.words.latest.replace("{label}", site.latest.label);
    banner.appendChild(link);
    var main = document.querySelector("main");
    main.insertBefore(banner, main.firstChild);
  }
}

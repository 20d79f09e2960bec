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
  var selects = document.querySelectorAll("select[data-navigate]");
  Array.prototype.forEach.call(selects, function (select) {
    select.closest("[hidden]") && (select.closest("[hidden]").hidden = false);
    select.addEventListener("change", function () { if (select.value) { window.location.href = select.value; } });
  });
});

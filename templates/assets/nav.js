// A <select data-navigate> goes to the page its chosen option names.
(function () {
  "use strict";
  var selects = document.querySelectorAll("select[data-navigate]");
  Array.prototype.forEach.call(selects, function (select) {
    select.closest("[hidden]") && (select.closest("[hidden]").hidden = false);
    select.addEventListener("change", function () { if (select.value) { window.location.href = select.value; } });
  });
}());

/* naikkelas: small behaviours the pages ask for with data attributes (no inline handlers, so the
   Content-Security-Policy can forbid them). data-autosubmit: a select that submits its form when changed;
   data-confirm="…": a form that asks before it is sent. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
})();

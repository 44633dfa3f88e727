/* naikkelas: small behaviours the pages ask for with data attributes (no inline handlers, so the
   Content-Security-Policy can forbid them). data-autosubmit: a select that submits its form when changed;
   data-confirm="…": a form that asks before it is sent; data-follows="NAME" on a select of optgroups with
   data-kind: only the group of the checked NAME radio is offered (the cash book's categories follow sale or
   expense). */
(function () {
  "use strict";
  function follow(select) {
    var name = select.getAttribute("data-follows");
    var checked = select.form && select.form.querySelector("input[name='" + name + "']:checked");
    if (!checked) { return; }
    var keep = null;
    select.querySelectorAll("optgroup[data-kind]").forEach(function (group) {
      var on = group.getAttribute("data-kind") === checked.value;
      group.hidden = !on;
      group.disabled = !on;
      if (on) {
        var chosen = group.querySelector("option:checked");
        keep = chosen || group.querySelector("option");
      }
    });
    if (keep) { keep.selected = true; }
  }
  function followAll() {
    document.querySelectorAll("select[data-follows]").forEach(follow);
  }
  document.addEventListener("DOMContentLoaded", followAll);
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      el.form.submit();
    }
    if (el && el.form && el.type === "radio") {
      el.form.querySelectorAll("select[data-follows='" + el.name + "']").forEach(follow);
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

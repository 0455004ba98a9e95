// Site-wide progressive enhancements (no inline scripts: the CSP allows only our static files).
(function () {
  "use strict";
  // A select marked data-autosubmit submits its form on change (the language switcher).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]")) target.form.submit();
  });
  // The unit picker starts closed (phone first); on a wide screen there is room to show the tree open.
  if (window.matchMedia && window.matchMedia("(min-width: 900px)").matches) {
    document.querySelectorAll("details.unit-picker[data-open-wide]").forEach(function (el) { el.open = true; });
  }
  var toggle = document.getElementById("nav-toggle");
  var button = document.querySelector("label.menu-button");
  if (toggle && button) {
    var sync = function () { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); };
    toggle.addEventListener("change", sync);
    sync();
  }
})();

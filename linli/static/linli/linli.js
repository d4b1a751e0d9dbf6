/* Linli's page behaviours, declared in markup with data-linli-* attributes.
   The Content-Security-Policy forbids inline scripts and on* handlers, so every page behaviour
   lives here (or in another file under static/linli/) and templates only name it:
     data-linli-back          a link that goes back in history (its href is the no-script fallback)
     data-linli-print         a button that prints the page
     data-linli-autosubmit    a form control that submits its form when changed
     data-linli-toggle="ID"   a button that toggles the "show" class of #ID (the phone menu)
     data-linli-reveal="ID"   a link that un-hides #ID */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var back = target.closest("[data-linli-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
      return;
    }
    if (target.closest("[data-linli-print]")) {
      event.preventDefault();
      window.print();
      return;
    }
    var toggle = target.closest("[data-linli-toggle]");
    // A menu group opening closes the others; a click elsewhere closes them all.
    document.querySelectorAll(".nav-group-menu.show").forEach(function (open) {
      if (!toggle || open.id !== toggle.getAttribute("data-linli-toggle")) {
        open.classList.remove("show");
        var button = document.querySelector("[data-linli-toggle='" + open.id + "']");
        if (button) button.setAttribute("aria-expanded", "false");
      }
    });
    if (toggle) {
      var menu = document.getElementById(toggle.getAttribute("data-linli-toggle"));
      if (menu) {
        var shown = menu.classList.toggle("show");
        toggle.setAttribute("aria-expanded", shown ? "true" : "false");
      }
      return;
    }
    var reveal = target.closest("[data-linli-reveal]");
    if (reveal) {
      var hidden = document.getElementById(reveal.getAttribute("data-linli-reveal"));
      if (hidden) hidden.hidden = false;
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".nav-group-menu.show").forEach(function (open) {
      open.classList.remove("show");
      var button = document.querySelector("[data-linli-toggle='" + open.id + "']");
      if (button) { button.setAttribute("aria-expanded", "false"); button.focus(); }
    });
  });
  document.addEventListener("change", function (event) {
    var control = event.target instanceof Element ? event.target.closest("[data-linli-autosubmit]") : null;
    if (control && control.form) control.form.requestSubmit ? control.form.requestSubmit() : control.form.submit();
  });
})();

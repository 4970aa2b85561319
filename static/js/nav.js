// The top bar: on narrow screens the menu button folds the navigation away and back;
// the Settings menu closes when one clicks anywhere else.
(function () {
  "use strict";

  function setOpen(bar, open) {
    bar.classList.toggle("open", open);
    var toggle = bar.querySelector(".navtoggle");
    if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".navtoggle");
    if (toggle) {
      var bar = toggle.closest(".topbar");
      setOpen(bar, !bar.classList.contains("open"));
    }
    document.querySelectorAll("details.navgroup[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".topbar.open").forEach(function (bar) {
      setOpen(bar, false);
      var toggle = bar.querySelector(".navtoggle");
      if (toggle && bar.contains(document.activeElement)) toggle.focus();
    });
  });
})();

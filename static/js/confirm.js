/* Buttons, links and forms with data-confirm="Question?" ask before they act: Cancel stops
 * the click (or the submit); OK lets it through. One delegated listener for every page, so
 * templates need no inline handlers (the Content-Security-Policy forbids them). */
(function () {
  "use strict";

  function ask(event, element) {
    if (!element || window.confirm(element.dataset.confirm)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  // Capture phase: runs before the element's own listeners (htmx's among them).
  document.addEventListener("click", function (event) {
    var element = event.target.closest && event.target.closest("[data-confirm]:not(form)");
    ask(event, element);
  }, true);

  document.addEventListener("submit", function (event) {
    ask(event, event.target.matches("form[data-confirm]") ? event.target : null);
  }, true);
})();

// Small behaviours shared by every page (kept out of inline scripts for the Content Security Policy).
(function () {
  "use strict";
  // Ask before destructive actions: <form data-confirm="...">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);
})();
// Print buttons: <button data-print>
document.addEventListener("click", function (event) {
  var el = event.target.closest ? event.target.closest("[data-print]") : null;
  if (el) { window.print(); }
});
// Ask before a destructive submit button of a form that also has harmless ones: <button data-confirm-button="...">
document.addEventListener("click", function (event) {
  var el = event.target.closest ? event.target.closest("[data-confirm-button]") : null;
  if (el && !window.confirm(el.getAttribute("data-confirm-button"))) { event.preventDefault(); }
});

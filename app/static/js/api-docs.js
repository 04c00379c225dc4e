// Starts Swagger UI on the API documentation page (a file of its own: the CSP allows no inline script).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) { return; }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: false,         // links nested in the operation buttons would break keyboard and screen-reader use
    validatorUrl: null,          // no call to the public validator: nothing leaves this server
    tryItOutEnabled: false,
    persistAuthorization: false,
    defaultModelsExpandDepth: 0,
    docExpansion: "list"
  });
  // What Swagger UI's own markup lacks for keyboards and screen readers: scrollable examples reachable by
  // Tab, and a name on each parameter's select (the parameter's own name).
  function mend() {
    root.querySelectorAll("pre.microlight:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
    });
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", select.closest("tr").getAttribute("data-param-name"));
    });
  }
  new MutationObserver(mend).observe(root, {childList: true, subtree: true});
})();

// Live Markdown preview for the procedure editor: the server renders and sanitises, we only display.
(function () {
  "use strict";
  var area = document.querySelector("textarea[data-preview-url]");
  if (!area) { return; }
  var target = document.querySelector(area.getAttribute("data-preview-target"));
  var status = document.getElementById("preview-status");
  var form = area.form;
  var token = form.querySelector("input[name=csrf_token]");
  var timer = null;
  var dirty = false;
  function refresh() {
    var body = new FormData();
    body.append("body", area.value);
    if (token) { body.append("csrf_token", token.value); }
    fetch(area.getAttribute("data-preview-url"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { target.innerHTML = html; if (status) { status.textContent = ""; } })
      .catch(function () { if (status) { status.textContent = "⚠"; } });
  }
  area.addEventListener("input", function () {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(refresh, 350);
  });
  // Do not lose typed text by leaving the page by accident.
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (e) { if (dirty) { e.preventDefault(); e.returnValue = ""; } });
})();

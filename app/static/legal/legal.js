// Adds the legal document chosen in the register picker as a new line of the legal bases textarea.
(function () {
  document.querySelectorAll(".legal-picker").forEach(function (picker) {
    var input = picker.querySelector("input");
    var button = picker.querySelector("[data-legal-add]");
    var target = document.getElementById(picker.getAttribute("data-target"));
    if (!input || !button || !target) return;
    function add() {
      var value = input.value.trim();
      if (!value) return;
      var text = target.value.replace(/\s+$/, "");
      target.value = text ? text + "\n" + value : value;
      input.value = "";
      input.focus();
    }
    button.addEventListener("click", add);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); add(); }
    });
  });
})();

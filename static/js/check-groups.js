// «Velg alle» / «Velg ingen» for a list of checkboxes, for the whole form and per group
// (fieldset[data-check-group]). Without script the buttons stay hidden and every box can
// still be ticked by hand.
(function () {
  function wire(scope, buttons) {
    if (!buttons) return;
    buttons.hidden = false;
    buttons.addEventListener("click", function (event) {
      var check = event.target.closest("[data-check]");
      if (!check) return;
      var on = check.getAttribute("data-check") === "all";
      scope.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
        box.checked = on;
      });
    });
  }
  document.querySelectorAll("[data-check-group]").forEach(function (group) {
    wire(group, group.querySelector("[data-check-buttons]"));
  });
  var all = document.querySelector("[data-check-all]");
  if (all) wire(all.closest("form"), all);
})();

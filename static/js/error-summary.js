// A form sent back with errors shows Designsystemet's error summary at the top: move focus to
// it, so keyboard and screen-reader users start where the problems are listed (issue 14). The
// summary has tabindex="-1"; its links lead to the fields. Loaded by base.html (no inline script,
// for the Content-Security-Policy).
(function () {
  var summary = document.querySelector(".ds-error-summary");
  if (!summary) return;
  if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
  summary.focus();
})();

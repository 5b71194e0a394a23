// The office menu is folded to "Meny" on narrow screens and open on wide ones (it is open
// without script, so nothing hides). It follows the width when the window is resized or the
// phone turned: a closed <details> hides its links even where the "Meny" button is not shown,
// so a page loaded narrow and then widened would otherwise have no navigation.
(function () {
  var menu = document.querySelector(".office-nav__menu");
  if (!menu) return;
  var narrow = window.matchMedia("(max-width: 40rem)");
  function fit() {
    if (narrow.matches) menu.removeAttribute("open");
    else menu.setAttribute("open", "");
  }
  fit();
  if (narrow.addEventListener) narrow.addEventListener("change", fit);
  else if (narrow.addListener) narrow.addListener(fit);
})();

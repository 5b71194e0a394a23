// The office menu and the account menu (name, account links, language) are folded on narrow
// screens and open on wide ones (they are open without script, so nothing hides). They follow
// the width when the window is resized or the phone turned: a closed <details> hides its links
// even where its button is not shown, so a page loaded narrow and then widened would otherwise
// have no navigation. Loaded by base.html.
(function () {
  var menus = document.querySelectorAll(".office-nav__menu, .site-account");
  if (!menus.length) return;
  var narrow = window.matchMedia("(max-width: 40rem)");
  function fit() {
    menus.forEach(function (menu) {
      if (narrow.matches) menu.removeAttribute("open");
      else menu.setAttribute("open", "");
    });
  }
  fit();
  if (narrow.addEventListener) narrow.addEventListener("change", fit);
  else if (narrow.addListener) narrow.addListener(fit);
})();

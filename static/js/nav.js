// The office menu starts folded on narrow screens (it is open without script, so nothing hides).
(function () {
  var menu = document.querySelector(".office-nav__menu");
  if (menu && window.matchMedia("(max-width: 40rem)").matches) menu.removeAttribute("open");
})();

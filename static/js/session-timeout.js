// Warns before the session ends for inactivity, so a half-filled form is not lost.
// The body carries data-session-idle (seconds), data-session-warn (seconds before the end)
// and data-session-keepalive (URL); "Fortsett" pings it and starts the count again.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.sessionIdle || "0", 10);
  var warnBefore = parseInt(body.dataset.sessionWarn || "120", 10);
  var url = body.dataset.sessionKeepalive;
  var dialog = document.getElementById("session-timeout");
  if (!idle || !url || !dialog) return;
  var left = dialog.querySelector("[data-session-left]");
  var button = dialog.querySelector("[data-session-continue]");
  var expired = dialog.querySelector("[data-session-expired]");
  var deadline;
  var timer;

  function restart() {
    deadline = Date.now() + idle * 1000;
    if (dialog.open) dialog.close();
    clearInterval(timer);
    timer = setInterval(tick, 1000);
  }

  function tick() {
    var seconds = Math.round((deadline - Date.now()) / 1000);
    if (seconds <= 0) {
      clearInterval(timer);
      button.hidden = true;
      expired.hidden = false;
      left.parentElement.hidden = true;
      if (!dialog.open) dialog.showModal();
      return;
    }
    if (seconds <= warnBefore) {
      var minutes = Math.floor(seconds / 60);
      var rest = seconds % 60;
      left.textContent = minutes + ":" + (rest < 10 ? "0" : "") + rest;
      if (!dialog.open) dialog.showModal();
    }
  }

  button.addEventListener("click", function () {
    var token = dialog.dataset.csrf;
    fetch(url, { method: "POST", headers: { "X-CSRFToken": token }, credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) {
          restart();
        } else {
          button.hidden = true;
          expired.hidden = false;
        }
      });
  });

  // Any page load or htmx request counts as activity on the server too.
  document.body.addEventListener("htmx:afterRequest", restart);
  restart();
})();

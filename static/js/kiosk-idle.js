// Kiosk idle timeout (rule A7), an enhancement of the server's own check (guichet/interfaces/kiosk/session.py).
//
// - Nobody touches the screen for the idle delay: back to the start screen, which clears the
//   session.
// - 20 seconds before that (half the delay if it is shorter), a warning with « Continuer »
//   (WCAG 2.2.1: the person can ask for more time with a simple action).
// - A touch or a key lets the server know (at most one request every 15 seconds, a quarter of
//   the delay if it is shorter, and one more after the last touch), so that the server does
//   not end a session still in use.
// Touches inside the document's frame (the PDF viewer) do not reach this page: the warning and
// its « Continuer » keep the person who is reading from losing the document.
(function () {
  "use strict";
  var root = document.getElementById("kiosk-idle");
  if (!root) { return; }
  var idleMs = Number(root.dataset.idleSeconds) * 1000;
  var warnMs = Math.min(20000, idleMs / 2);
  var startUrl = root.dataset.startUrl;
  var activityUrl = root.dataset.activityUrl;
  var warning = document.getElementById("kiosk-idle-warning");
  var left = document.getElementById("kiosk-idle-left");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var PING_MS = Math.min(15000, idleMs / 4);
  var lastPing = Date.now();  // the page itself was a request
  var pingTimer = null;
  var warnTimer = null;
  var endTimer = null;

  function leave() { window.location.assign(startUrl); }

  function ping() {
    pingTimer = null;
    lastPing = Date.now();
    if (!token) { return; }
    fetch(activityUrl, {
      method: "POST",
      headers: {"X-CSRFToken": token.value},
      credentials: "same-origin",
      redirect: "manual",
    }).then(function (response) {
      if (response.status !== 204) { leave(); }  // the server ended the session
    }).catch(function () { /* offline: the timers still run */ });
  }

  function schedulePing() {
    var wait = lastPing + PING_MS - Date.now();
    if (wait <= 0) { ping(); } else if (pingTimer === null) { pingTimer = setTimeout(ping, wait); }
  }

  function showWarning() {
    left.textContent = String(Math.round(warnMs / 1000));
    warning.hidden = false;
  }

  function restart() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warning.hidden = true;
    warnTimer = setTimeout(showWarning, idleMs - warnMs);
    endTimer = setTimeout(leave, idleMs);
  }

  function activity() {
    restart();
    schedulePing();
  }

  ["pointerdown", "keydown", "touchstart"].forEach(function (name) {
    document.addEventListener(name, activity, {passive: true});
  });
  document.getElementById("kiosk-idle-continue").addEventListener("click", activity);
  restart();
})();

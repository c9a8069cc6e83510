// The warning before the web session's idle expiry (WCAG 2.2.1, issue 14), for signed-in pages.
//
// The server ends a session GUICHET_SESSION_IDLE_SECONDS after the last request, or up to
// GUICHET_SESSION_TOUCH_SECONDS sooner (an unchanged session is written back at most that often:
// guichet/core/sessions.py). The warning opens two minutes (half the delay if shorter) before
// that earliest end; « Rester connecté » posts to the server, which starts the delay again.
// Past the latest end the dialog says that the session expired; the page stays as it is, so that
// what was typed can still be sent: the server keeps it across the new login
// (docs/decisions/sessions-expiry-warning-and-drafts.md).
(function () {
  "use strict";
  var root = document.getElementById("session-timeout");
  var modal = document.getElementById("session-timeout-modal");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!root || !modal || !token) { return; }
  var idleMs = Number(root.dataset.idleSeconds) * 1000;
  var earliestMs = Math.max(idleMs - Number(root.dataset.touchSeconds) * 1000, 2000);
  var warnMs = Math.min(120000, earliestMs / 2);
  var left = document.getElementById("session-timeout-left");
  var warnTimer = null;
  var endTimer = null;

  function wording(ms) {
    var seconds = Math.round(ms / 1000);
    if (seconds >= 120) { return Math.round(seconds / 60) + " minutes"; }
    return seconds + " secondes";
  }

  function disclose() {
    left.textContent = wording(warnMs);
    if (window.dsfr) { window.dsfr(modal).modal.disclose(); } else { modal.showModal(); }
  }

  function conceal() {
    if (window.dsfr) { window.dsfr(modal).modal.conceal(); } else if (modal.open) { modal.close(); }
  }

  function expire() {
    document.getElementById("session-timeout-warning").hidden = true;
    document.getElementById("session-timeout-ended").hidden = false;
    modal.setAttribute("aria-labelledby", "session-timeout-ended-title");
    if (!modal.open) { disclose(); }
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(disclose, earliestMs - warnMs);
    endTimer = setTimeout(expire, idleMs + 1000);
  }

  function extend() {
    fetch(root.dataset.extendUrl, {
      method: "POST",
      headers: {"X-CSRFToken": token.value},
      credentials: "same-origin",
      redirect: "manual",
    }).then(function (response) {
      if (response.status === 204) { conceal(); schedule(); } else { clearTimeout(endTimer); expire(); }
    }).catch(function () { /* offline: the timers still run */ });
  }

  document.getElementById("session-timeout-extend").addEventListener("click", extend);
  schedule();
}());

// « Niveau indicatif de sécurité » while typing (rule C5). The page works without it: the
// server computes the same level when the form is submitted.
(function () {
  "use strict";
  var form = document.getElementById("code-form");
  if (!form || !window.fetch) { return; }
  var input = document.getElementById("id_code1");
  var meter = document.getElementById("strength-meter");
  var label = document.getElementById("strength-label");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timer = null;
  function update() {
    var body = new URLSearchParams();
    body.append("code", input.value);
    fetch(form.dataset.strengthUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
      body: body
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data) { meter.value = data.score; label.textContent = data.label; }
    }).catch(function () { /* the level is shown again when the form is submitted */ });
  }
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 300);
  });
}());

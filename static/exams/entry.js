/* The exam entry page: on exam day a city's officers press "开始考试" in the same minute. The start request
   waits a random 0–N seconds (data-spread, EXAM_START_SPREAD_SECONDS) so they do not all arrive in the same
   second; nobody loses time, since the exam clock starts when the attempt is created. The start is sent by
   fetch, so that when the server is full (503 + Retry-After at the door) the page waits and sends it again by
   itself instead of showing an error page; the server then names the page to go to. */
(function () {
  "use strict";
  var form = document.getElementById("start-form");
  if (!form || !window.fetch) { return; }
  var spread = Number(form.dataset.spread) || 0;
  var waiting = false;

  function show(id) {
    ["start-wait", "start-busy"].forEach(function (other) {
      var el = document.getElementById(other);
      if (el) { el.hidden = other !== id; }
    });
  }

  function send() {
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (r) {
      if (r.status === 503) {
        var after = parseInt(r.headers.get("Retry-After") || "", 10) || 5;
        show("start-busy");
        setTimeout(send, after * 1000 * (1 + Math.random() / 2));
        return null;
      }
      if (!r.ok) { form.submit(); return null; }  // anything else: the plain post shows what the server says
      return r.json().then(function (body) { window.location.assign(body.location); });
    }).catch(function () {
      show("start-busy");
      setTimeout(send, 3000 * (1 + Math.random()));
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (waiting) { return; }
    waiting = true;
    document.getElementById("start").disabled = true;
    show("start-wait");
    setTimeout(send, Math.random() * spread * 1000);
  });
}());

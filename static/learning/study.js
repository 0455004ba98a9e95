/* Study widget: tells the server that the lesson page is open, visible and in use. The server counts. */
(function () {
  "use strict";
  var widget = document.getElementById("study-widget");
  var panel = document.getElementById("study-panel");
  if (!widget || !panel) { return; }
  widget.appendChild(panel);
  panel.hidden = false;
  var lessonId = parseInt(widget.dataset.lessonId, 10);
  var csrf = panel.querySelector("input[name=csrfmiddlewaretoken]").value;
  var $ = function (id) { return document.getElementById(id); };
  var token = null, interval = 15, timer = null, lastInput = Date.now(), pendingKey = null;

  ["mousemove", "keydown", "scroll", "touchstart", "click", "wheel"].forEach(function (name) {
    window.addEventListener(name, function () { lastInput = Date.now(); }, { passive: true });
  });

  function video() { return document.querySelector("video"); }
  function playing() { var v = video(); return !!(v && !v.paused && !v.ended); }
  function fmt(s) { s = Math.max(0, Math.floor(s)); var m = Math.floor(s / 60); var r = s % 60; return m + ":" + (r < 10 ? "0" : "") + r; }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (data) { data._code = r.status; return data; }); });
  }

  function render(data) {
    if (data.heartbeat_seconds) { interval = data.heartbeat_seconds; }
    if (data.required_seconds !== undefined) {
      $("study-progress").value = data.percent;
      $("study-time").textContent = fmt(data.studied_seconds);
      $("study-required").textContent = fmt(data.required_seconds);
      $("study-done").hidden = !data.completed;
      widget.dataset.studiedSeconds = data.studied_seconds;
      widget.dataset.completed = data.completed ? "1" : "0";
    }
    renderCheck(data.check);
    if (data.status && labels[data.status]) { $("study-status").textContent = labels[data.status]; }
  }

  function renderCheck(check) {
    var box = $("study-check");
    if (!check) { box.hidden = true; pendingKey = null; return; }
    if (pendingKey === check.key && !box.hidden) { return; }
    pendingKey = check.key;
    $("study-check-prompt").textContent = check.prompt;
    var options = $("study-check-options");
    options.innerHTML = "";
    check.options.forEach(function (text, index) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "secondary study-option"; b.textContent = text;
      b.addEventListener("click", function () { answer(check.key, index); });
      options.appendChild(b);
    });
    $("study-check-wrong").hidden = true;
    box.hidden = false;
  }

  function answer(key, choice) {
    post(panel.dataset.checkUrl, { token: token, key: key, choice: choice }).then(function (data) {
      if (data.correct) { render(data); } else { $("study-check-wrong").hidden = false; }
    });
  }

  function beat() {
    if (!token || document.visibilityState !== "visible") { return; }
    var active = playing() || (Date.now() - lastInput) < interval * 2000;
    if (!active) { $("study-status").textContent = labelsIdle; return; }
    var body = { token: token, visible: true, active: true };
    var v = video();
    if (v && !isNaN(v.currentTime)) { body.video_position = v.currentTime; }
    post(panel.dataset.beatUrl, body).then(function (data) {
      if (data._code === 409) { stopLoop(); showBusy(); return; }
      render(data);
    });
  }
  // Status texts come translated from the template (gettext), not from this file.
  var labels = {};
  document.querySelectorAll("#study-labels [data-key]").forEach(function (el) { labels[el.dataset.key] = el.textContent; });
  var labelsIdle = labels.idle;

  function stopLoop() { if (timer) { clearInterval(timer); timer = null; } token = null; }
  function showBusy() { $("study-busy").hidden = false; $("study-status").textContent = ""; }

  function start(takeover) {
    post(panel.dataset.startUrl, { lesson_id: lessonId, takeover: !!takeover }).then(function (data) {
      render(data);
      if (data._code === 409) { showBusy(); return; }
      if (data._code !== 200) { $("study-status").textContent = data.message || ""; return; }
      $("study-busy").hidden = true;
      token = data.token;
      widget.dataset.token = token;
      if (timer) { clearInterval(timer); }
      timer = setInterval(beat, interval * 1000);
    });
  }

  $("study-takeover").addEventListener("click", function () { start(true); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { lastInput = Date.now(); }
  });
  start(false);
})();

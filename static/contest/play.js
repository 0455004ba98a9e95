// The phone page: one seat in a live contest. The server owns the clock; this page only shows it (the countdown
// follows the server's time) and sends the officer's answer once. After a drop it reconnects to the same seat; an
// answer not yet acknowledged is sent again and the server counts it once.
(function () {
  "use strict";
  var C = window.Contest, w = C.words;
  var root = document.getElementById("play");
  if (!root) return;
  var stage = document.getElementById("stage");
  var conn = document.getElementById("conn");
  var round = null;        // the round on screen (payload of a "question" message)
  var answered = null;     // {position, response} acknowledged by the server
  var pending = null;      // {position, response} sent, not yet acknowledged
  var selection = [];
  var timer = null;

  var socket = C.connect(root.dataset.ws, {
    onOpen: function () { conn.textContent = w.online; conn.className = "conn ok"; },
    onDown: function () { conn.textContent = w.offline; conn.className = "conn bad"; },
    onMessage: handle
  });
  window.contestSocket = socket;

  function setStats(s) {
    if (s.score !== undefined) document.getElementById("me-score").textContent = s.score;
    if (s.streak !== undefined) document.getElementById("me-streak").textContent = s.streak;
    if (s.rank !== undefined) document.getElementById("me-rank").textContent = s.rank || "—";
  }

  function handle(m) {
    if (m.kind === "ping") { socket.send({ kind: "pong", id: m.id }); return; }
    if (m.kind === "hello") {
      setStats(m.seat);
      if (m.status === "finished") { finished(); return; }
      if (m.round) {
        round = m.round;
        answered = m.my_answer;
        if (m.result) { showResult(m.result); return; }
        showQuestion();
        if (pending && !answered && pending.position === round.position) sendAnswer(pending.response);
      }
      return;
    }
    if (m.kind === "question") { round = m; answered = null; pending = null; selection = []; showQuestion(); return; }
    if (m.kind === "ack") { onAck(m); return; }
    if (m.kind === "result") { showResult(m); return; }
    if (m.kind === "finished") finished();
  }

  function clear() { while (stage.firstChild) stage.removeChild(stage.firstChild); if (timer) { clearInterval(timer); timer = null; } }

  function phase() {
    var now = C.serverNow();
    if (now < round.opens_at) return "read";
    if (now < round.closes_at) return "answer";
    return "closed";
  }

  function showQuestion() {
    clear();
    var q = round.question;
    stage.appendChild(C.el("div", "phone-qno", w.question + " " + round.position + " / " + round.total + " " + w.qsuffix + " · " + (w[q.kind] || "")));
    var clock = C.el("div", "phone-clock", "");
    clock.id = "phone-clock";
    stage.appendChild(clock);
    stage.appendChild(C.el("p", "phone-stem", q.stem));
    var list = C.el("div", "phone-options");
    var choices = q.kind === "true_false"
      ? [{ key: true, label: "✓", text: w["true"] }, { key: false, label: "✗", text: w["false"] }]
      : q.options;
    choices.forEach(function (o) {
      var b = C.el("button", "phone-option");
      b.type = "button";
      b.dataset.key = String(o.key);
      b.appendChild(C.el("span", "opt-label", o.label));
      b.appendChild(C.el("span", "opt-text", o.text));
      b.addEventListener("click", function () { choose(o.key, b); });
      list.appendChild(b);
    });
    stage.appendChild(list);
    if (q.kind === "multiple") {
      var submit = C.el("button", "phone-submit", w.submit);
      submit.type = "button";
      submit.id = "phone-submit";
      submit.addEventListener("click", function () { if (selection.length) sendAnswer(selection.slice()); });
      stage.appendChild(submit);
    }
    stage.appendChild(C.el("p", "phone-status", "")).id = "phone-status";
    tick();
    timer = setInterval(tick, 200);
    if (answered) markAnswered(answered.response, w.sent);
  }

  function tick() {
    var p = phase(), clock = document.getElementById("phone-clock");
    if (!clock) return;
    var locked = p !== "answer" || answered || pending;
    stage.querySelectorAll("button").forEach(function (b) { b.disabled = !!locked; });
    if (p === "read") clock.textContent = w.read + " " + C.seconds(round.opens_at - C.serverNow());
    else if (p === "answer") clock.textContent = w.answer + " " + C.seconds(round.closes_at - C.serverNow());
    else clock.textContent = w.closed;
    clock.className = "phone-clock " + p;
  }

  function choose(key, button) {
    if (round.question.kind === "multiple") {
      var i = selection.indexOf(key);
      if (i >= 0) selection.splice(i, 1); else selection.push(key);
      button.classList.toggle("chosen", i < 0);
      return;
    }
    sendAnswer(round.question.kind === "true_false" ? key : [key]);
  }

  function sendAnswer(response) {
    pending = { position: round.position, response: response };
    markAnswered(response, "…");
    socket.send({ kind: "answer", position: round.position, response: response });
    tick();
  }

  function markAnswered(response, text) {
    var keys = Array.isArray(response) ? response.map(String) : [String(response)];
    stage.querySelectorAll(".phone-option").forEach(function (b) { b.classList.toggle("chosen", keys.indexOf(b.dataset.key) >= 0); });
    var status = document.getElementById("phone-status");
    if (status) status.textContent = text;
  }

  function onAck(m) {
    if (!round || m.position !== round.position) return;
    pending = null;
    var status = document.getElementById("phone-status");
    if (m.accepted) {
      answered = { position: m.position, response: m.response };
      markAnswered(m.response, w.sent);
    } else {
      if (m.response !== null && m.response !== undefined) { answered = { position: m.position, response: m.response }; markAnswered(m.response, ""); }
      if (status) { status.textContent = w.refused + m.reason; status.className = "phone-status bad"; }
    }
    tick();
  }

  function showResult(r) {
    clear();
    setStats(r);
    var box = C.el("div", "phone-result " + (r.correct ? "right" : "wrong"));
    box.id = "phone-result";
    box.appendChild(C.el("div", "result-word", r.answered ? (r.correct ? w.right : w.wrong) : w.none));
    box.appendChild(C.el("div", "result-points", "+" + r.points + (r.bonus ? " (" + w.bonus + " +" + r.bonus + ")" : "")));
    box.appendChild(C.el("div", "result-key", w.key + r.key_text));
    box.appendChild(C.el("div", "result-rank", w.rank + " " + (r.rank || "—") + " / " + r.seats + " · " + w.streak + " " + r.streak));
    stage.appendChild(C.el("div", "phone-qno", w.question + " " + r.position + " / " + r.total + " " + w.qsuffix));
    stage.appendChild(box);
    if (r.top && r.top.length) {
      stage.appendChild(C.el("h3", "", w.top));
      var ol = C.el("ol", "phone-top");
      r.top.forEach(function (t) { ol.appendChild(C.el("li", "", t.name + " · " + t.team + " · " + t.score)); });
      stage.appendChild(ol);
    }
  }

  function finished() { clear(); stage.appendChild(C.el("p", "phone-finished", w.finished)); }
})();

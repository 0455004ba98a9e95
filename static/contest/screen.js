// The host console and the big screen: the same websocket (the host's own), two layouts. Both close the round
// when its time (plus the largest grace) is up, by posting to the close URL; the server closes it once whoever
// asks first. The console's buttons post next / close / finish.
(function () {
  "use strict";
  var C = window.Contest, w = C.words;
  var root = document.getElementById("screen");
  if (!root) return;
  var $ = function (id) { return document.getElementById(id); };
  var round = null, closeTimer = null, tickTimer = null, answered = 0, seats = 0;

  C.connect(root.dataset.ws, { onMessage: handle });

  function handle(m) {
    if (m.kind === "screen") {
      lobby(m.lobby);
      if (m.status === "finished") { finished(); return; }
      if (m.round) { question(m.round); setAnswered(m.answered || 0); if (m.result) result(m.result); }
      return;
    }
    if (m.kind === "lobby") { lobby(m); return; }
    if (m.kind === "question") { question(m); setAnswered(0); return; }
    if (m.kind === "answered") { if (round && m.position === round.position) setAnswered(answered + 1); return; }
    if (m.kind === "result") { result(m); return; }
    if (m.kind === "finished") finished();
  }

  function empty(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function setAnswered(n) { answered = n; $("answered").textContent = n; $("seat-count").textContent = seats; }

  function lobby(l) {
    seats = l.seats;
    $("lobby-count").textContent = l.seats;
    $("seat-count").textContent = l.seats;
    var box = empty($("lobby"));
    l.teams.forEach(function (t) {
      var team = C.el("div", "lobby-team colour-" + (t.colour % 8));
      team.appendChild(C.el("div", "lobby-team-name", t.name + " (" + t.members.length + ")"));
      team.appendChild(C.el("div", "lobby-members", t.members.join("、")));
      box.appendChild(team);
    });
  }

  function question(r) {
    round = r;
    if ($("screen-lobby")) { $("screen-lobby").hidden = true; $("screen-round").hidden = false; }
    $("round-label").textContent = w.question + " " + r.position + " / " + r.total + " " + w.qsuffix;
    var box = empty($("question-box"));
    box.classList.remove("muted");
    box.appendChild(C.el("div", "q-kind", w[r.question.kind] || ""));
    box.appendChild(C.el("div", "q-stem", r.question.stem));
    var list = C.el("ol", "q-options");
    (r.question.kind === "true_false" ? [{ label: "✓", text: w["true"] }, { label: "✗", text: w["false"] }] : r.question.options)
      .forEach(function (o) { var li = C.el("li", ""); li.appendChild(C.el("b", "", o.label + ". ")); li.appendChild(document.createTextNode(o.text)); list.appendChild(li); });
    box.appendChild(list);
    empty($("result-box"));
    if ($("screen-round")) $("screen-round").classList.remove("has-result");
    if (tickTimer) clearInterval(tickTimer);
    tickTimer = setInterval(tick, 200);
    tick();
    scheduleClose(r.close_due);
  }

  function tick() {
    if (!round) return;
    var now = C.serverNow(), cd = $("countdown");
    if (now < round.opens_at) { cd.textContent = w.read + " " + C.seconds(round.opens_at - now); cd.className = "countdown read"; }
    else if (now < round.closes_at) { cd.textContent = C.seconds(round.closes_at - now); cd.className = "countdown answer"; }
    else { cd.textContent = w.closed; cd.className = "countdown closed"; }
  }

  function scheduleClose(due) {
    if (closeTimer) clearTimeout(closeTimer);
    if (!root.dataset.close) return;
    var tries = 0;
    var attempt = function () {
      C.post(root.dataset.close).then(function (body) {
        if (!body.ok && body.status === 409 && tries++ < 10) closeTimer = setTimeout(attempt, 300);
      }).catch(function () { if (tries++ < 10) closeTimer = setTimeout(attempt, 1000); });
    };
    closeTimer = setTimeout(attempt, Math.max(0, due - C.serverNow()) + 50);
  }

  function result(r) {
    if (closeTimer) clearTimeout(closeTimer);
    if (tickTimer) { clearInterval(tickTimer); tickTimer = null; }
    $("countdown").textContent = w.closed;
    if ($("screen-round")) $("screen-round").classList.add("has-result");
    var box = empty($("result-box"));
    box.appendChild(C.el("div", "r-key", w.key + r.key_text));
    var most = Math.max.apply(null, r.distribution.map(function (d) { return d.count; }).concat([1]));
    var bars = C.el("div", "r-bars");
    r.distribution.forEach(function (d) {
      var row = C.el("div", "r-bar" + (d.correct ? " correct" : ""));
      row.appendChild(C.el("span", "r-bar-label", d.label));
      var fill = C.el("span", "r-bar-fill");
      fill.style.width = Math.round(100 * d.count / most) + "%";
      row.appendChild(fill);
      row.appendChild(C.el("span", "r-bar-count", d.count));
      bars.appendChild(row);
    });
    box.appendChild(bars);
    box.appendChild(C.el("p", "r-summary", w.answered + " " + r.answered + " / " + r.seats + " · " + w.right + " " + r.correct));
    var boards = C.el("div", "r-boards");
    var top = C.el("div", "r-top");
    top.appendChild(C.el("h3", "", w.top));
    var ol = C.el("ol", "");
    r.top.forEach(function (t) {
      var li = C.el("li", "colour-" + (t.colour % 8));
      li.appendChild(C.el("span", "t-rank", t.rank));
      li.appendChild(C.el("span", "t-name", t.name));
      li.appendChild(C.el("span", "t-team", t.team));
      li.appendChild(C.el("span", "t-score", t.score));
      ol.appendChild(li);
    });
    top.appendChild(ol);
    boards.appendChild(top);
    var teams = C.el("div", "r-teams");
    teams.appendChild(C.el("h3", "", w.teams + "(" + w.mean + ")"));
    var tl = C.el("ol", "");
    r.teams.forEach(function (t, i) {
      var li = C.el("li", "colour-" + (t.colour % 8));
      li.appendChild(C.el("span", "t-rank", i + 1));
      li.appendChild(C.el("span", "t-name", t.name));
      li.appendChild(C.el("span", "t-score", t.score));
      tl.appendChild(li);
    });
    teams.appendChild(tl);
    boards.appendChild(teams);
    box.appendChild(boards);
  }

  function finished() {
    if (closeTimer) clearTimeout(closeTimer);
    var label = $("round-label");
    if (label) label.textContent = w.finished;
  }

  function action(name) {
    var url = root.dataset[name], error = $("host-error");
    if (!url) return;
    C.post(url).then(function (body) {
      error.hidden = body.ok;
      if (!body.ok) error.textContent = body.error || "";
      if (body.ok && body.results) window.location.href = body.results;
    });
  }
  ["next", "close", "finish"].forEach(function (name) {
    var button = $("btn-" + name);
    if (button) button.addEventListener("click", function () { action(name); });
  });
})();

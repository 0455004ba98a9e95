/* The exam page. The server owns the clock and the answers; this page keeps every unsent answer in
   localStorage (keyed by the attempt) until the server acknowledges it, so a network drop, a reload or an
   expired session loses nothing. Each answer carries its own sequence number (monotonic per item, the
   server's stored seq is the floor): a stale save never overwrites a newer one. */
(function () {
  "use strict";
  var root = document.getElementById("attempt");
  if (!root) { return; }
  var cfg = JSON.parse(document.getElementById("attempt-config").textContent);
  var data = JSON.parse(document.getElementById("attempt-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var labels = {};
  document.querySelectorAll("#attempt-labels [data-key]").forEach(function (el) { labels[el.dataset.key] = el.textContent.trim(); });

  var STORE_KEY = "zfxt.attempt." + cfg.id;
  var sections = Array.prototype.slice.call(document.querySelectorAll(".attempt-q"));
  var byId = {};
  sections.forEach(function (s) { byId[s.dataset.item] = s; });
  var answers = {};       // item id -> {response, flagged}: what the page shows
  var store = load();     // {seq: {item: n}, pending: {item: {item, seq, response, flagged}}, refused: {item: {seq, response, flagged, reason}}}
  var offset = 0;         // server clock - device clock, in ms
  var deadline = Date.parse(data.deadline);
  var current = 0, onePerPage = !!cfg.one_per_page;
  var inflight = false, debounce = null, finished = false, submitting = false, loginLost = false;
  // Every answer of the server (a save's too) carries the clock and the state, so the page pings only after
  // `idle_ping_ms` without hearing from it. A 503 (the server turning work away at the door when overloaded)
  // names a Retry-After: nothing is sent before then, and the answers stay queued here.
  var lastHeard = Date.now(), holdUntil = 0;
  function held() { return Math.max(0, holdUntil - Date.now()); }

  // --- local store -----------------------------------------------------------------------------------
  function load() {
    try {
      var s = JSON.parse(window.localStorage.getItem(STORE_KEY) || "null");
      if (s && s.seq && s.pending) { s.refused = s.refused || {}; return s; }
    } catch (e) { /* private mode or broken JSON: start empty */ }
    return { seq: {}, pending: {}, refused: {} };
  }
  function persist() {
    if (finished) { return; }  // the attempt is over: the store was cleared and must stay so
    try { window.localStorage.setItem(STORE_KEY, JSON.stringify(store)); } catch (e) { /* quota: keep in memory */ }
  }
  function pendingList() { return Object.keys(store.pending).map(function (k) { return store.pending[k]; }); }

  // --- clock -----------------------------------------------------------------------------------------
  function syncClock(body) {
    if (body.server_now) { offset = Date.parse(body.server_now) - Date.now(); }
    if (body.deadline) { deadline = Date.parse(body.deadline); }
  }
  function serverNow() { return Date.now() + offset; }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, Math.floor((deadline - serverNow()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    $("attempt-timer").textContent = (h ? h + ":" + two(m) : m) + ":" + two(s);
    $("attempt-timer").classList.toggle("low", left < 300);
    if (left <= 0 && !finished && !submitting) { status("timeup"); submit(); }
  }

  // --- status ----------------------------------------------------------------------------------------
  function status(key) {
    var el = $("attempt-status");
    el.textContent = labels[key] || key;
    el.dataset.state = key;
  }
  function notice(text) {
    var el = $("attempt-notice");
    el.textContent = text; el.hidden = !text;
  }

  // --- reading and showing answers -------------------------------------------------------------------
  function readResponse(section) {
    var kind = section.dataset.kind;
    var inputs = section.querySelectorAll(".answer-input");
    if (kind === "single") {
      var checked = section.querySelector(".answer-input:checked");
      return checked ? checked.value : null;
    }
    if (kind === "multiple") {
      var keys = [];
      inputs.forEach(function (i) { if (i.checked) { keys.push(i.value); } });
      return keys.length ? keys : null;
    }
    if (kind === "true_false") {
      var tf = section.querySelector(".answer-input:checked");
      return tf ? tf.value === "true" : null;
    }
    var text = inputs[0].value;
    return text.trim() ? text : null;
  }
  function showAnswer(section, answer) {
    var kind = section.dataset.kind, r = answer.response;
    section.querySelectorAll(".answer-input").forEach(function (i) {
      if (kind === "single") { i.checked = r === i.value; }
      else if (kind === "multiple") { i.checked = Array.isArray(r) && r.indexOf(i.value) >= 0; }
      else if (kind === "true_false") { i.checked = r !== null && r !== undefined && String(r) === i.value; }
      else { i.value = r || ""; }
    });
    section.querySelector(".flag-input").checked = !!answer.flagged;
  }
  function isAnswered(a) { return a && a.response !== null && a.response !== undefined && a.response !== ""; }

  function renderSheet() {
    var a = 0, u = 0, f = 0;
    document.querySelectorAll(".sheet-cell").forEach(function (cell) {
      var ans = answers[cell.dataset.item];
      var done = isAnswered(ans);
      cell.classList.toggle("answered", done);
      cell.classList.toggle("flagged", !!(ans && ans.flagged));
      var refused = store.refused[cell.dataset.item];
      cell.classList.toggle("refused", !!refused);
      if (refused) { cell.title = labels.refused_prefix + " " + refused.reason; } else { cell.removeAttribute("title"); }
      cell.classList.toggle("current", onePerPage && Number(cell.dataset.goto) === current);
      if (done) { a++; } else { u++; }
      if (ans && ans.flagged) { f++; }
    });
    $("attempt-sheet-count").textContent = labels.sheet_count.replace("__A__", a).replace("__U__", u).replace("__F__", f);
    return u;
  }

  function reveal(item) {
    // Only what the server chose to send (review policy DURING); nothing is computed here.
    var section = byId[item.id];
    if (!section || (item.correct === undefined && !item.explanation)) { return; }
    var box = section.querySelector(".attempt-reveal");
    box.textContent = "";
    if (item.correct !== undefined) {
      var p = document.createElement("p");
      var value = item.correct;
      if (Array.isArray(value) && item.options && item.options.length) {
        value = item.options.filter(function (o) { return item.correct.indexOf(o.key) >= 0; }).map(function (o) { return o.label; }).join("");
      } else if (Array.isArray(value)) { value = value.join(" / "); }
      else if (value === true || value === false) { value = labels[String(value)]; }
      p.textContent = labels.key_label + " " + value;
      box.appendChild(p);
    }
    if (item.explanation) {
      var e = document.createElement("p");
      e.textContent = labels.expl_label + " " + item.explanation;
      box.appendChild(e);
    }
    box.hidden = false;
  }

  // --- saving ----------------------------------------------------------------------------------------
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function request(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      if (r.status === 503) {
        var after = parseInt(r.headers.get("Retry-After") || "", 10);
        after = isNaN(after) ? 5 : Math.min(Math.max(after, 1), 120);
        holdUntil = Date.now() + after * 1000 * (1 + Math.random() * 0.5);  // spread the retries
        return { _code: 503 };
      }
      var json = (r.headers.get("Content-Type") || "").indexOf("application/json") >= 0;
      if (json) { lastHeard = Date.now(); }
      if (r.type === "opaqueredirect" || r.status === 401 || r.status === 403 || (r.status >= 300 && r.status < 400) || (r.ok && !json)) {
        return { _code: 401 };
      }
      if (!json) { return { _code: r.status }; }
      return r.json().then(function (b) { b._code = r.status; return b; });
    });
  }

  function change(section) {
    var id = section.dataset.item;
    var answer = { response: readResponse(section), flagged: section.querySelector(".flag-input").checked };
    answers[id] = answer;
    var seq = (store.seq[id] || 0) + 1;
    store.seq[id] = seq;
    store.pending[id] = { item: Number(id), seq: seq, response: answer.response, flagged: answer.flagged };
    if (store.refused[id]) { store.refused[id].seq = seq; }  // kept (with its reason) until the server takes this one
    persist();
    renderSheet();
    if (!inflight && !loginLost) { status("pending"); }
    clearTimeout(debounce);
    debounce = setTimeout(save, cfg.autosave_ms);
  }

  function applyAcks(body) {
    (body.acked || []).forEach(function (ack) {
      var key = String(ack.item), p = store.pending[key];
      if (p && p.seq <= ack.seq) { delete store.pending[key]; }
      var floor = Math.max(ack.seq, ack.stored || 0);
      if ((store.seq[key] || 0) < floor) { store.seq[key] = floor; }
      var r = store.refused[key];
      if (r && r.seq <= floor) { delete store.refused[key]; showRefusal(key); }
    });
    // A refused answer will never be accepted as it is: it leaves the send queue, but stays on the page (and in
    // this device's store) with the server's reason next to the question until the officer changes it.
    (body.refused || []).forEach(function (r) {
      var key = String(r.item), p = store.pending[key] || store.refused[key];
      if (!p || p.seq > r.seq) { return; }  // a newer answer is already on its way
      delete store.pending[key];
      store.refused[key] = { seq: r.seq, response: p.response, flagged: p.flagged, reason: r.reason };
      showRefusal(key);
    });
    persist();
    renderSheet();
    (body.items || []).forEach(reveal);
  }

  function showRefusal(key) {
    var section = byId[key];
    if (!section) { return; }
    var box = section.querySelector(".attempt-refused"), r = store.refused[key];
    section.classList.toggle("refused", !!r);
    box.textContent = r ? labels.refused_prefix + " " + r.reason : "";
    box.hidden = !r;
  }
  function firstRefused() {
    for (var i = 0; i < sections.length; i++) { if (store.refused[sections[i].dataset.item]) { return i; } }
    return -1;
  }
  var refusalNoticeShown = false;
  function refusalNotice(text) {
    // Clears only a notice it set itself (a proctor's notice stays).
    if (text) { notice(text); refusalNoticeShown = true; }
    else if (refusalNoticeShown) { notice(""); refusalNoticeShown = false; }
  }
  function pointToRefused(body) {
    status("refused");
    refusalNotice(body.error || "");
    var index = firstRefused();
    if (index < 0) { return; }
    if (onePerPage) { show(index); } else { sections[index].scrollIntoView({ block: "center" }); }
  }

  function forget() {
    finished = true;
    try { window.localStorage.removeItem(STORE_KEY); } catch (e) { /* ignore */ }
  }

  function closed(body) {
    forget();  // the server accepts nothing more for this attempt
    status("closed");
    if (body.error) { notice(body.error); }
    setTimeout(function () { window.location.assign(body.result_url || cfg.result_url); }, body.error ? 2500 : 0);
  }

  function save() {
    if (inflight || finished || submitting) { return Promise.resolve(); }
    var batch = pendingList();
    if (!batch.length) { return Promise.resolve(); }
    if (held()) { clearTimeout(debounce); debounce = setTimeout(save, held()); return Promise.resolve(); }
    inflight = true;
    status("saving");
    return request("POST", cfg.save_url, { answers: batch }).then(function (body) {
      inflight = false;
      if (body._code === 401) { lostLogin(); return; }
      loginLost = false; $("attempt-login").hidden = true;
      syncClock(body);
      if (body._code === 200 || body._code === 422) {
        applyAcks(body);
        if (pendingList().length) { status("pending"); clearTimeout(debounce); debounce = setTimeout(save, cfg.autosave_ms); }
        else if (Object.keys(store.refused).length) { status("refused"); refusalNotice(body.error); }
        else { status("saved"); refusalNotice(""); }
      } else if (body._code === 409 && body.state && body.state !== "in_progress") {
        closed(body);
      } else if (body._code === 503) {
        status("pending"); clearTimeout(debounce); debounce = setTimeout(save, held());
      } else {
        status("error");
        if (body.error) { notice(body.error); }
      }
    }, function () {
      inflight = false;
      status("offline");
    });
  }

  function lostLogin() {
    loginLost = true;
    status("login");
    $("attempt-login").hidden = false;
  }

  function ping(always) {
    if (finished || submitting || held()) { return; }
    if (pendingList().length) { save(); return; }
    if (!always && Date.now() - lastHeard < cfg.idle_ping_ms) { return; }
    request("GET", cfg.state_url).then(function (body) {
      if (body._code === 401) { lostLogin(); return; }
      if (body._code !== 200) { return; }
      if (loginLost) { loginLost = false; $("attempt-login").hidden = true; status("saved"); }
      if ($("attempt-status").dataset.state === "offline") { status("saved"); }
      syncClock(body);
      if (body.state && body.state !== "in_progress") { closed(body); }
    }, function () { status("offline"); });
  }

  // --- submitting ------------------------------------------------------------------------------------
  function submit() {
    if (finished || submitting) { return; }
    submitting = true;
    clearTimeout(debounce);
    status("submitting");
    var send = function () {
      request("POST", cfg.submit_url, { answers: submitBatch() }).then(function (body) {
        if (body._code === 401) { submitting = false; lostLogin(); return; }
        if (body._code === 200) {
          forget();
          window.location.assign(body.result_url || cfg.result_url);
          return;
        }
        if (body._code === 503) { status("submitting"); setTimeout(send, held()); return; }
        submitting = false;
        if (body._code === 422) {  // not handed in: the valid answers are stored, the refused ones are shown
          syncClock(body);
          applyAcks(body);
          pointToRefused(body);
          return;
        }
        if (body._code === 409 && body.state && body.state !== "in_progress") { closed(body); return; }
        status("error");
        if (body.error) { notice(body.error); }
      }, function () {
        submitting = false;
        wantSubmit = true;
        status("submit_offline");
      });
    };
    // Wait for a save in flight, so the submit carries only what is still unacknowledged.
    (function wait() { if (inflight) { setTimeout(wait, 200); } else { send(); } })();
  }
  var wantSubmit = false;

  // The submit carries the unacknowledged answers AND the refused ones: the server then refuses to hand in
  // before the deadline (and says why again) instead of handing in without them. Clearing the question is the
  // officer's way to give that answer up.
  function submitBatch() {
    var batch = pendingList();
    Object.keys(store.refused).forEach(function (key) {
      if (store.pending[key]) { return; }
      var r = store.refused[key];
      batch.push({ item: Number(key), seq: r.seq, response: r.response, flagged: r.flagged });
    });
    return batch;
  }

  function askSubmit() {
    var unanswered = renderSheet();
    var text = unanswered ? labels.confirm_left.replace("__N__", unanswered) : labels.confirm_all;
    var refused = Object.keys(store.refused).length;
    if (refused) { text = labels.confirm_refused.replace("__N__", refused) + " " + text; }
    $("attempt-confirm-text").textContent = text;
    $("attempt-confirm").hidden = false;
    $("attempt-confirm-yes").focus();
  }

  // --- navigation ------------------------------------------------------------------------------------
  function show(index) {
    current = Math.max(0, Math.min(sections.length - 1, index));
    sections.forEach(function (s, i) { s.hidden = onePerPage && i !== current; });
    renderSheet();
  }
  function setMode(one) {
    onePerPage = one;
    root.classList.toggle("one-per-page", one);
    $("attempt-mode-toggle").textContent = one ? labels.mode_all : labels.mode_one;
    show(current);
  }

  // --- websocket (pushes only; nothing breaks without it) ---------------------------------------------
  var wsDelay = 2000;
  function connect() {
    if (!window.WebSocket || finished) { return; }
    var ws;
    try { ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + cfg.ws_path); }
    catch (e) { return; }
    ws.onopen = function () { wsDelay = 2000; };
    ws.onmessage = function (event) {
      var msg; try { msg = JSON.parse(event.data); } catch (e) { return; }
      if (msg.kind === "exam.time") { syncClock(msg); tick(); if (msg.text) { notice(msg.text); } }
      else if (msg.kind === "exam.submitted") { closed({ result_url: cfg.result_url }); }
      else if (msg.text) { notice(msg.text); }
    };
    ws.onclose = function () { if (!finished) { setTimeout(connect, wsDelay); wsDelay = Math.min(wsDelay * 2, 60000); } };
  }

  // --- start -----------------------------------------------------------------------------------------
  syncClock(data);
  data.items.forEach(function (item) {
    var id = String(item.id);
    if ((store.seq[id] || 0) < item.seq) { store.seq[id] = item.seq; }
    var local = store.pending[id], refused = store.refused[id];
    if (local && local.seq > item.seq) {
      answers[id] = { response: local.response, flagged: local.flagged };
    } else {
      delete store.pending[id];
      answers[id] = { response: item.response, flagged: item.flagged };
    }
    if (refused && refused.seq <= item.seq) { delete store.refused[id]; refused = null; }
    if (refused && !(local && local.seq > item.seq)) {
      // The officer's refused text is theirs to correct: shown again, not replaced by the older stored answer.
      answers[id] = { response: refused.response, flagged: refused.flagged };
    }
    if (byId[id]) { showAnswer(byId[id], answers[id]); showRefusal(id); }
    reveal(item);
  });
  persist();

  sections.forEach(function (section) {
    section.addEventListener("change", function () { change(section); });
    section.addEventListener("input", function (e) { if (e.target.tagName !== "INPUT" || e.target.type === "text") { change(section); } });
    section.querySelectorAll("[data-step]").forEach(function (b) {
      b.addEventListener("click", function () { show(current + Number(b.dataset.step)); window.scrollTo(0, 0); });
    });
  });
  document.querySelectorAll(".sheet-cell").forEach(function (cell) {
    cell.addEventListener("click", function () {
      var index = Number(cell.dataset.goto);
      if (onePerPage) { show(index); window.scrollTo(0, 0); } else { sections[index].scrollIntoView({ behavior: "smooth" }); }
    });
  });
  $("attempt-sheet-toggle").addEventListener("click", function () {
    var sheet = $("attempt-sheet"); sheet.hidden = !sheet.hidden;
    this.setAttribute("aria-expanded", String(!sheet.hidden));
  });
  $("attempt-mode-toggle").addEventListener("click", function () { setMode(!onePerPage); });
  $("attempt-submit").addEventListener("click", askSubmit);
  $("attempt-confirm-no").addEventListener("click", function () { $("attempt-confirm").hidden = true; });
  $("attempt-confirm-yes").addEventListener("click", function () { $("attempt-confirm").hidden = true; submit(); });
  window.addEventListener("online", function () { if (wantSubmit) { wantSubmit = false; submit(); } else { save(); ping(true); } });
  window.addEventListener("offline", function () { status("offline"); });
  window.addEventListener("beforeunload", persist);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") { ping(true); } });

  setMode(onePerPage);
  if (pendingList().length) { status("pending"); save(); } else { status("saved"); }
  tick();
  setInterval(tick, 1000);
  setInterval(function () { if (wantSubmit) { wantSubmit = false; submit(); } else { ping(); } }, cfg.heartbeat_ms);
  connect();
}());

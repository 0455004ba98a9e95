/* Authoring pages: the rule editor's live availability count and the live exam monitor (refreshes the counts and
   the page in view, the filters of the page's own query string, every data-poll seconds (never under 10);
   proctor buttons). Plain JS; texts come from data attributes rendered through gettext. */
(function () {
  "use strict";

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- rule editor: how many active questions match -------------------------------------------------
  var ruleForm = document.getElementById("rule-form");
  var availability = document.getElementById("rule-available");
  if (ruleForm && availability) {
    var latest = 0; // only the answer to the newest question is shown (an older, slower reply must not overwrite it)
    var refreshCount = function () {
      var mine = ++latest;
      var params = new URLSearchParams();
      ["kind", "category", "tag", "difficulty"].forEach(function (name) {
        var field = ruleForm.elements[name];
        if (field) params.set(name, field.value);
      });
      fetch(ruleForm.dataset.countUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (mine !== latest) return;
          availability.textContent = data.available === null ? "" : availability.dataset.template.replace("N", data.available);
        });
    };
    ruleForm.addEventListener("change", refreshCount);
    refreshCount();
  }

  // --- monitor ---------------------------------------------------------------------------------------
  var table = document.getElementById("monitor");
  if (!table) return;
  var proctor = table.dataset.proctor === "1";

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "" : String(text);
    return td;
  }

  function button(action, attempt, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "secondary small";
    b.dataset.action = action;
    b.dataset.attempt = attempt;
    b.textContent = label;
    return b;
  }

  function render(data) {
    Object.keys(data.counts).forEach(function (key) {
      var el = document.querySelector('[data-count="' + key + '"]');
      if (el) el.textContent = data.counts[key];
    });
    var body = table.tBodies[0];
    var rows = document.createDocumentFragment();
    data.rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.dataset.officer = r.officer;
      var name = cell(r.name + " ");
      var small = document.createElement("small");
      small.className = "muted";
      small.textContent = r.employee_no;
      name.appendChild(small);
      tr.appendChild(name);
      tr.appendChild(cell(r.unit));
      var state = cell(r.state_label);
      if (r.online) {
        var badge = document.createElement("span");
        badge.className = "badge ok";
        badge.textContent = table.dataset.online;
        state.appendChild(document.createTextNode(" "));
        state.appendChild(badge);
      }
      tr.appendChild(state);
      tr.appendChild(cell(r.started));
      tr.appendChild(cell(r.attempt ? r.answered : ""));
      tr.appendChild(cell(r.last_seen));
      tr.appendChild(cell(r.deadline));
      if (proctor) {
        var actions = cell("");
        actions.className = "nowrap";
        if (r.state === "in_progress" || r.state === "overdue") {
          actions.appendChild(button("extend", r.attempt, table.dataset.extend));
          actions.appendChild(document.createTextNode(" "));
          actions.appendChild(button("force", r.attempt, table.dataset.force));
        }
        tr.appendChild(actions);
      }
      rows.appendChild(tr);
    });
    if (!data.rows.length) {
      var empty = cell(table.dataset.empty);
      empty.colSpan = 8;
      empty.className = "muted";
      var tr = document.createElement("tr");
      tr.appendChild(empty);
      rows.appendChild(tr);
    }
    body.replaceChildren(rows);
    (data.units || []).forEach(function (u) {
      var tr = document.querySelector('#monitor-units tr[data-unit="' + u.unit + '"]');
      if (!tr) return;
      ["audience", "not_started", "in_progress", "overdue", "submitted"].forEach(function (key, i) {
        tr.cells[i + 1].textContent = u.counts[key];
      });
    });
    var updated = document.getElementById("monitor-updated");
    if (updated) updated.textContent = new Date(data.server_now).toLocaleTimeString();
  }

  function refresh() {
    if (document.hidden) return;
    fetch(table.dataset.url + window.location.search, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) render(data); });
  }

  function post(url, fields) {
    var body = new URLSearchParams(fields);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      body: body,
    }).then(function (r) { return r.json(); });
  }

  table.addEventListener("click", function (event) {
    var b = event.target.closest("button[data-action]");
    if (!b) return;
    var attempt = b.dataset.attempt;
    var fields = {};
    var url;
    if (b.dataset.action === "extend") {
      var minutes = window.prompt(table.dataset.askMinutes, "10");
      if (!minutes) return;
      fields.minutes = minutes;
      url = table.dataset.extendUrl;
    } else {
      if (!window.confirm(table.dataset.confirmForce)) return;
      url = table.dataset.forceUrl;
    }
    var reason = window.prompt(table.dataset.askReason, "");
    if (!reason) return;
    fields.reason = reason;
    url = url.replace("/attempts/0/", "/attempts/" + attempt + "/");
    post(url, fields).then(function (data) {
      window.alert(data.message);
      refresh();
    });
  });

  setInterval(refresh, Math.max(10, Number(table.dataset.poll) || 15) * 1000);
})();

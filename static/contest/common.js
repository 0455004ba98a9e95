// Shared by the contest's pages (phone, console, big screen): the server clock, a reconnecting websocket, the
// translated words (rendered by the template into #contest-i18n) and small DOM helpers. No inline scripts (CSP).
(function () {
  "use strict";
  var words = (document.getElementById("contest-i18n") || { dataset: {} }).dataset;
  var offset = 0; // server time − this device's time, refreshed by every message (each carries the server's "now")

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function serverNow() { return Date.now() + offset; }

  // A websocket that comes back: 0.5 s, 1 s, 2 s … up to 4 s between tries; onOpen/onMessage/onDown callbacks.
  function connect(path, handlers) {
    var delay = 500;
    var socket = null;
    function open() {
      socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + path);
      socket.onopen = function () { delay = 500; if (handlers.onOpen) handlers.onOpen(); };
      socket.onmessage = function (event) {
        var message;
        try { message = JSON.parse(event.data); } catch (e) { return; }
        if (typeof message.now === "number") offset = message.now - Date.now();
        handlers.onMessage(message);
      };
      socket.onclose = function (event) {
        if (handlers.onDown) handlers.onDown(event.code);
        if (event.code === 4401 || event.code === 4403) return; // not allowed: retrying will not help
        setTimeout(open, delay);
        delay = Math.min(4000, delay * 2);
      };
    }
    open();
    return {
      send: function (message) {
        if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(message)); return true; }
        return false;
      },
      // For the e2e test and a "reconnect" gesture: drop the socket; the reconnect loop brings it back.
      drop: function () { if (socket) socket.close(); }
    };
  }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function post(url) {
    return fetch(url, { method: "POST", headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (body) { body.status = response.status; return body; }); });
  }

  function seconds(ms) { return Math.max(0, Math.ceil(ms / 1000)); }

  window.Contest = { words: words, el: el, serverNow: serverNow, connect: connect, post: post, seconds: seconds };
})();

// 计算中: ask the status endpoint every 2 s; when the year's figures are ready, load the page again.
(function () {
  "use strict";
  var box = document.getElementById("computing");
  if (!box) { return; }
  var bar = document.getElementById("computing-progress");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (bar && data.total) { bar.max = data.total; bar.value = data.done; }
        if (data.ready) { window.location.reload(); } else { setTimeout(poll, 2000); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();

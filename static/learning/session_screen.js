// The QR code of an offline session's sign-in screen: reloaded every 5 s (the code itself rotates every 30 s).
(function () {
  var box = document.getElementById("qr");
  if (!box) return;
  function load() {
    fetch(box.dataset.src, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (svg) { box.innerHTML = svg; });
  }
  load();
  setInterval(load, 5000);
})();

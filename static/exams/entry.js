/* The exam entry page: on exam day a city's officers press "开始考试" in the same minute. The start request
   waits a random 0–N seconds (data-spread, EXAM_START_SPREAD_SECONDS) so they do not all arrive in the same
   second; nobody loses time, since the exam clock starts when the attempt is created. */
(function () {
  "use strict";
  var form = document.getElementById("start-form");
  if (!form) { return; }
  var spread = Number(form.dataset.spread) || 0;
  var waiting = false;
  form.addEventListener("submit", function (event) {
    if (spread <= 0) { return; }
    event.preventDefault();
    if (waiting) { return; }
    waiting = true;
    document.getElementById("start").disabled = true;
    document.getElementById("start-wait").hidden = false;
    setTimeout(function () { form.submit(); }, Math.random() * spread * 1000);
  });
}());

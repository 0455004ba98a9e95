// Behaviour of the base layout, kept out of inline handlers so the Content-Security-Policy can forbid inline scripts.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]")) target.form.submit();
});

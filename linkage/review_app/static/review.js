// Keyboard for the review app: m / n / u decide, j / k move between cases, 1-9 choose a candidate.
// Shipped with the package; no network, no inline script.
"use strict";
document.addEventListener("keydown", function (event) {
  var target = event.target;
  var typing = target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.tagName === "SELECT");
  if (typing) {
    if (event.key === "Escape") { target.blur(); }
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) { return; }
  var key = event.key;
  var link = null;
  if (key === "j") { link = document.getElementById("next"); }
  else if (key === "k") { link = document.getElementById("prev"); }
  else if (/^[1-9]$/.test(key)) { link = document.querySelector('a.pick[data-key="' + key + '"]'); }
  if (link) {
    event.preventDefault();
    window.location.assign(link.getAttribute("href"));
    return;
  }
  if (key === "m" || key === "n" || key === "u") {
    var button = document.querySelector('#decide button[data-key="' + key + '"]');
    if (button) {
      event.preventDefault();
      button.click();
    }
  }
});

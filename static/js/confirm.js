/* Every page: a form, or the button that submits it, with data-confirm="…" asks before it is
   sent (irreversible steps: making an edition final, approving). A file, not an onsubmit="…"
   handler, because the Content-Security-Policy refuses inline script. Without JavaScript the
   form is sent as it is; the server still checks the step. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var text = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (text && !window.confirm(text)) {
      event.preventDefault();
    }
  });
})();

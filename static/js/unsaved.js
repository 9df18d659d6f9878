/* Every page: a form marked data-warn-unsaved asks before the page is left with what was typed
   in it not saved (a menu link, the back button, closing the tab). Sending the form itself is
   never stopped. The browser words the question itself; no text is needed here. */
(function () {
  "use strict";

  var changed = new Set();

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-warn-unsaved")) {
      changed.add(form);
    }
  });

  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) {
      changed.delete(event.target);
    }
  });

  // autosave.js: what it saved is no longer unsaved.
  document.addEventListener("compact:saved", function (event) {
    changed.delete(event.target);
  });

  window.addEventListener("beforeunload", function (event) {
    if (changed.size > 0) {
      event.preventDefault();
      event.returnValue = "";  // older browsers ask only when this is set
    }
  });
})();

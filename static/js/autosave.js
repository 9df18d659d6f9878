/* The report editor saves itself: a form with data-autosave-url is posted there (the whole
   form, with its CSRF token, same origin) a few seconds after typing stops, and at most every
   ~20 seconds while typing goes on. The server merges it like "Save draft" but only when
   nobody else saved since; its answer carries the new base revision and the words to show in
   the status line. What the server saved no longer counts as unsaved (unsaved.js listens for
   "compact:saved"); anything typed while the request ran still does. Without JavaScript
   nothing of this runs and "Save draft" works as ever. */
(function () {
  "use strict";

  var QUIET_MS = 4000;      // after the last keystroke
  var AT_MOST_MS = 20000;   // between two automatic saves while typing goes on

  function start(form) {
    var url = form.getAttribute("data-autosave-url");
    var status = document.getElementById("autosave-status");
    var base = form.elements.namedItem("base_revision");
    var edits = 0;          // inputs since the page loaded
    var savedEdits = 0;     // inputs the last successful automatic save covered
    var timer = null;
    var lastSave = 0;
    var busy = false;
    var stopped = false;

    function say(text, kind) {
      if (!status || !text) { return; }
      status.textContent = text;
      status.setAttribute("data-kind", kind || "");
    }

    function schedule() {
      if (stopped) { return; }
      var wait = QUIET_MS;
      var sinceLast = Date.now() - lastSave;
      if (lastSave && sinceLast + wait > AT_MOST_MS) {
        wait = Math.max(0, AT_MOST_MS - sinceLast);
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(save, wait);
    }

    function save() {
      if (busy || stopped || edits === savedEdits) { return; }
      busy = true;
      lastSave = Date.now();
      var covered = edits;
      var body = new FormData(form);
      body.delete("intent");
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
      }).then(function (result) {
        var answer = result.answer || {};
        if (result.ok) {
          savedEdits = covered;
          if (base && answer.revision !== undefined) { base.value = String(answer.revision); }
          say(answer.message, "saved");
          if (edits === covered) {
            form.dispatchEvent(new CustomEvent("compact:saved", { bubbles: true }));
          }
        } else {
          // A conflict or a refusal: nothing was overwritten; the text stays in the form and
          // the button's save (which merges and asks) is the way on.
          say(answer.message, "attention");
          if (answer.status === "conflict" || answer.status === "refused") { stopped = true; }
        }
      }).catch(function () {
        // Offline or the server is away: try again after the next keystroke.
      }).then(function () {
        busy = false;
        if (!stopped && edits !== savedEdits) { schedule(); }
      });
    }

    form.addEventListener("input", function () {
      edits += 1;
      schedule();
    });
    form.addEventListener("submit", function () {
      stopped = true;
      window.clearTimeout(timer);
    });
  }

  document.querySelectorAll("form[data-autosave-url]").forEach(start);
})();

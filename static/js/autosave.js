/* The report editor saves itself: a form with data-autosave-url is posted there (the whole
   form, with its CSRF token, same origin) a few seconds after typing stops, and at most every
   ~20 seconds while typing goes on. The server merges it like "Save draft" but only when
   nobody else saved since; its answer carries the new base revision and the words to show in
   the status line. What the server saved no longer counts as unsaved (unsaved.js listens for
   "compact:saved"); anything typed while the request ran still does. Without JavaScript
   nothing of this runs and "Save draft" works as ever.
   Every half minute a heartbeat (data-presence-url) says this editor is open and gets back who
   else has the draft open, shown in #presence. */
(function () {
  "use strict";

  var QUIET_MS = 4000;      // after the last keystroke
  var AT_MOST_MS = 20000;   // between two automatic saves while typing goes on
  var HEARTBEAT_MS = 30000; // "I have this draft open"

  function showOthers(names) {
    var box = document.getElementById("presence");
    if (!box || !Array.isArray(names)) { return; }
    var list = box.querySelector("ul");
    list.textContent = "";
    names.forEach(function (name) {
      var item = document.createElement("li");
      var isolated = document.createElement("bdi");
      isolated.textContent = name;
      item.appendChild(isolated);
      list.appendChild(item);
    });
    box.hidden = names.length === 0;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    });
  }

  function heartbeat(form) {
    var url = form.getAttribute("data-presence-url");
    if (!url) { return; }
    window.setInterval(function () {
      if (document.hidden) { return; }  // a tab in the background is not "editing"
      var body = new FormData();
      body.append("csrfmiddlewaretoken", form.elements.namedItem("csrfmiddlewaretoken").value);
      post(url, body).then(function (result) {
        if (result.ok) { showOthers(result.answer.others); }
      }).catch(function () { /* the next beat tries again */ });
    }, HEARTBEAT_MS);
  }

  function start(form) {
    var url = form.getAttribute("data-autosave-url");
    var status = document.getElementById("autosave-status");
    var base = form.elements.namedItem("base_revision");
    var edits = 0;          // inputs since the page loaded
    var savedEdits = 0;     // inputs the last successful automatic save covered
    var timer = null;
    var lastSave = 0;
    var dirtySince = 0;     // when the first input not yet sent was made
    var busy = false;
    var stopped = false;

    function say(text, kind) {
      if (!status || !text) { return; }
      status.textContent = text;
      status.setAttribute("data-kind", kind || "");
    }

    // Four seconds after typing stops, never sooner than 20 s after the last automatic save,
    // and while typing goes on, no later than 20 s after the first keystroke not yet saved.
    function schedule() {
      if (stopped) { return; }
      var now = Date.now();
      var earliest = lastSave + AT_MOST_MS;
      var latest = Math.max(dirtySince + AT_MOST_MS, earliest);
      var target = Math.min(Math.max(now + QUIET_MS, earliest), latest);
      window.clearTimeout(timer);
      timer = window.setTimeout(save, Math.max(0, target - now));
    }

    function save() {
      if (busy || stopped || edits === savedEdits) { return; }
      busy = true;
      lastSave = Date.now();
      dirtySince = 0;
      var covered = edits;
      var body = new FormData(form);
      body.delete("intent");
      post(url, body).then(function (result) {
        var answer = result.answer || {};
        if (result.ok) {
          savedEdits = covered;
          if (base && answer.revision !== undefined) { base.value = String(answer.revision); }
          say(answer.message, "saved");
          showOthers(answer.others);
          if (edits === covered) {
            form.dispatchEvent(new CustomEvent("compact:saved", { bubbles: true }));
          }
        } else {
          // A conflict or a refusal: nothing was overwritten; the text stays in the form and
          // the button's save (which merges and asks) is the way on.
          say(answer.message, "attention");
          if (answer.status === "conflict" || answer.status === "refused") { stopped = true; }
          if (answer.status === "invalid") { savedEdits = covered; }  // again after the next change
        }
      }).catch(function () {
        // Offline or the server is away: tried again in 20 s (the text stays "unsaved").
      }).then(function () {
        busy = false;
        if (!stopped && edits !== savedEdits) {
          if (!dirtySince) { dirtySince = Date.now(); }
          schedule();
        }
      });
    }

    form.addEventListener("input", function () {
      edits += 1;
      if (!dirtySince) { dirtySince = Date.now(); }
      schedule();
    });
    form.addEventListener("submit", function () {
      stopped = true;
      window.clearTimeout(timer);
    });
  }

  document.querySelectorAll("form[data-autosave-url]").forEach(function (form) {
    // While the editor asks whose text to keep, only "Save draft" (with the choice) saves.
    if (!form.querySelector('input[name="conflict"]')) { start(form); }
    heartbeat(form);
  });
})();

/* OCT's compiled reports: follow an edition being generated (data-confirm steps are asked by
   js/confirm.js, on every page). No framework. The page works without it: the progress box
   says to reload. */
(function () {
  "use strict";

  var box = document.querySelector("[data-edition-status]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var stage = box.querySelector("[data-stage]");
  var editor = document.getElementById("text-editor");
  var typing = false;
  var delay = 1000;

  // Reloading would lose what someone is typing: then the box only says the edition is ready.
  if (editor) {
    editor.addEventListener("input", function () { typing = true; });
  }

  function finished(data) {
    if (!typing) {
      window.location.assign(box.dataset.reloadUrl);
      return;
    }
    bar.value = data.progress;
    stage.textContent = data.status === "done" ? data.status_label : data.status_label + ": " + data.error;
    if (data.download_url) {
      var link = document.createElement("a");
      link.href = data.download_url;
      link.textContent = data.status_label + " ↓";
      stage.append(" ", link);
    }
  }

  function show(data) {
    if (data.status === "rendering") {
      bar.value = data.progress;
    }
    bar.textContent = data.progress + "%";
    stage.textContent = data.stage || data.status_label;
  }

  function poll() {
    fetch(box.dataset.editionStatus, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data.status === "done" || data.status === "failed") {
          finished(data);
          return;
        }
        show(data);
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // The server may be restarting: keep trying, less often.
        delay = Math.min(delay * 2, 30000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();

/* Every page: on a phone the main menu folds behind a "Menu" button, so that the page starts
   on the first screen instead of below 400 pixels of links. Without JavaScript the button stays
   hidden and the menu open; the CSS folds it only once this script has marked the page.

   The menu's sections are <details> in the HTML, so that every link is reachable without
   JavaScript. Here each becomes a disclosure: a button with aria-expanded controlling its list.
   One section is open at a time; Escape closes it and returns focus to its button; a click
   elsewhere or focus leaving the section closes it too. */
(function () {
  "use strict";

  function foldMenu() {
    var button = document.querySelector(".menu-toggle");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }
    document.documentElement.classList.add("menu-folds");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      menu.toggleAttribute("data-open", open);
    });
  }

  function setOpen(section, open) {
    var button = section.querySelector(".nav-section-button");
    button.setAttribute("aria-expanded", String(open));
    document.getElementById(button.getAttribute("aria-controls")).hidden = !open;
  }

  function closeAll(sections, except) {
    sections.forEach(function (section) {
      if (section !== except) {
        setOpen(section, false);
      }
    });
  }

  /* Replace <details><summary>Label</summary><ul id=…>…</ul></details> by
     <div><button aria-expanded aria-controls=…>Label</button><ul id=… hidden>…</ul></div>. */
  function toDisclosure(details) {
    var summary = details.querySelector("summary");
    var list = details.querySelector("ul");
    var section = document.createElement("div");
    var button = document.createElement("button");
    section.className = "nav-disclosure";
    button.type = "button";
    button.className = "nav-section-button";
    button.textContent = summary.textContent;
    if (summary.hasAttribute("aria-current")) {
      button.setAttribute("aria-current", summary.getAttribute("aria-current"));
    }
    button.setAttribute("aria-controls", list.id);
    button.setAttribute("aria-expanded", "false");
    list.hidden = true;
    section.appendChild(button);
    section.appendChild(list);
    details.replaceWith(section);
    return section;
  }

  function makeSections() {
    var sections = Array.prototype.map.call(document.querySelectorAll("details.nav-disclosure"), toDisclosure);
    sections.forEach(function (section) {
      var button = section.querySelector(".nav-section-button");
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        closeAll(sections, section);
        setOpen(section, open);
      });
      section.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
          event.preventDefault();
          setOpen(section, false);
          button.focus();
        }
      });
      section.addEventListener("focusout", function (event) {
        if (event.relatedTarget && !section.contains(event.relatedTarget)) {
          setOpen(section, false);
        }
      });
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest(".nav-disclosure")) {
        closeAll(sections, null);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldMenu();
    makeSections();
  });
})();

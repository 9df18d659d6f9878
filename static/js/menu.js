/* Every page: on a phone the main menu folds behind a "Menu" button, so that the page starts
   on the first screen instead of below 400 pixels of links. Without JavaScript the button stays
   hidden and the menu open; the CSS folds it only once this script has marked the page. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
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
  });
})();

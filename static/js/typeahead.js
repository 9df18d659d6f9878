/* Country pickers: a <select data-typeahead> (one country, or several) gets a search box above
   it; typing narrows the list to the countries whose name (in the page's language), English
   name or ISO code contains what was typed, accents and case ignored. Without JavaScript the
   grouped select works as it is.

   Keyboard: type, then Tab or Down arrow to the list; Enter in the box chooses the first match
   (adds it, for a list of several); Escape empties the box. A status line tells screen readers
   how many countries match. Chosen countries always stay in the list (so they are sent with
   the form). The words come from the select's data-typeahead-* attributes (translated by the
   server). */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase();
  }

  function snapshot(select) {
    var items = [];
    Array.prototype.forEach.call(select.children, function (child) {
      if (child.tagName === "OPTGROUP") {
        var options = Array.prototype.slice.call(child.children);
        items.push({ group: child, options: options });
      } else {
        items.push({ group: null, options: [child] });
      }
    });
    items.forEach(function (item) {
      item.options.forEach(function (option) {
        option.typeaheadKey = fold(option.text + " " + (option.getAttribute("data-terms") || ""));
      });
    });
    return items;
  }

  function chosenValues(select) {
    return new Set(Array.prototype.filter.call(select.options, function (option) {
      return option.selected;
    }).map(function (option) { return option.value; }));
  }

  function narrow(select, items, text) {
    var wanted = fold(text.trim());
    var chosen = chosenValues(select);
    var shown = 0;
    var children = [];
    items.forEach(function (item) {
      var kept = item.options.filter(function (option) {
        var match = !wanted || option.typeaheadKey.indexOf(wanted) !== -1;
        if (match && option.value) {
          shown += 1;
        }
        return match || !option.value || chosen.has(option.value);
      });
      if (item.group && kept.length) {
        item.group.replaceChildren.apply(item.group, kept);
        children.push(item.group);
      } else if (!item.group) {
        children.push.apply(children, kept);
      }
    });
    select.replaceChildren.apply(select, children);
    Array.prototype.forEach.call(select.options, function (option) {
      option.selected = chosen.has(option.value);
    });
    return shown;
  }

  function firstMatch(select) {
    return Array.prototype.find.call(select.options, function (option) {
      return option.value && !option.selected;
    }) || null;
  }

  function enhance(select) {
    if (select.hasAttribute("data-typeahead-ready")) {
      return;
    }
    select.setAttribute("data-typeahead-ready", "");
    var items = snapshot(select);
    var input = document.createElement("input");
    var status = document.createElement("span");
    input.type = "search";
    input.className = "typeahead-filter";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.dir = "auto";
    input.id = select.id + "_typeahead";
    input.placeholder = select.getAttribute("data-typeahead-placeholder") || "";
    input.setAttribute("aria-label", select.getAttribute("data-typeahead-label") || "");
    input.setAttribute("aria-controls", select.id);
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.id = select.id + "_typeahead_status";
    input.setAttribute("aria-describedby", status.id);
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(status, select);

    var timer = null;
    input.addEventListener("input", function () {
      var count = narrow(select, items, input.value);
      window.clearTimeout(timer);
      // Said once typing pauses, not at every key.
      timer = window.setTimeout(function () {
        status.textContent = !input.value.trim() ? "" : count
          ? (select.getAttribute("data-typeahead-count") || "").replace("%(count)s", count)
          : select.getAttribute("data-typeahead-none") || "";
      }, 400);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      } else if (event.key === "Escape" && input.value) {
        event.preventDefault();
        input.value = "";
        narrow(select, items, "");
        status.textContent = "";
      } else if (event.key === "Enter" && input.value.trim()) {
        var option = firstMatch(select);
        event.preventDefault();  // choosing, not sending the form
        if (option) {
          if (!select.multiple) {
            select.value = option.value;
          }
          option.selected = true;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          status.textContent = option.text;
        }
      }
    });
  }

  function enhanceAll() {
    document.querySelectorAll("select[data-typeahead]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})();

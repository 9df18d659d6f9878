/* A checkbox that ticks or clears every box of its form named in its data-select-all
   ("projects" on the themes page), and shows "mixed" when only some are ticked. Without
   JavaScript the header box stays hidden and each row is ticked by hand. */
(function () {
  "use strict";

  function setUp(master) {
    var form = master.form;
    var name = master.getAttribute("data-select-all");
    var boxes = form ? form.querySelectorAll('input[type="checkbox"][name="' + name + '"]') : [];
    if (!boxes.length) {
      return;
    }
    master.hidden = false;
    function sync() {
      var ticked = Array.prototype.filter.call(boxes, function (box) { return box.checked; }).length;
      master.checked = ticked === boxes.length;
      master.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    master.addEventListener("change", function () {
      Array.prototype.forEach.call(boxes, function (box) { box.checked = master.checked; });
      sync();
    });
    Array.prototype.forEach.call(boxes, function (box) { box.addEventListener("change", sync); });
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-select-all]"), setUp);
  });
})();

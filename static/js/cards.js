/* Every page: on a phone a data table reads as a stack of cards, one per row, each cell
   labelled by its column's header ("Status  Submitted"), instead of scrolling sideways inside
   its box. This script copies each column's header text into the cells' data-label and marks
   the table; the CSS (app.css, "Tables as cards") does the rest below 40rem. Tables that are
   genuine grids (a cross-tab, a side-by-side comparison) carry class "grid-table" and keep
   scrolling in their box; so do tables without a header row. Without JavaScript every table
   keeps its columns and scrolls in its box.

   display: block drops a table's meaning for some screen readers, so the roles are restated. */
(function () {
  "use strict";

  function headerLabels(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    var labels = [];
    if (!rows.length) {
      return labels;
    }
    Array.prototype.forEach.call(rows[rows.length - 1].cells, function (cell) {
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var span = 0; span < (cell.colSpan || 1); span += 1) {
        labels.push(text);
      }
    });
    return labels;
  }

  function labelRow(row, labels) {
    var column = 0;
    row.setAttribute("role", "row");
    Array.prototype.forEach.call(row.cells, function (cell) {
      var label = labels[column] || "";
      var isRowHeader = cell.tagName === "TH";
      cell.setAttribute("role", isRowHeader ? "rowheader" : "cell");
      var spansRow = (cell.colSpan || 1) >= labels.length && labels.length > 1;
      if (label && !spansRow && !cell.hasAttribute("data-label")) {
        cell.setAttribute("data-label", label);
      }
      column += cell.colSpan || 1;
    });
  }

  function asCards(table) {
    var labels = headerLabels(table);
    if (!labels.length || table.classList.contains("grid-table")) {
      return;
    }
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.tHead.rows, function (row) {
      row.setAttribute("role", "row");
      Array.prototype.forEach.call(row.cells, function (cell) {
        cell.setAttribute("role", "columnheader");
      });
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      body.setAttribute("role", "rowgroup");
      Array.prototype.forEach.call(body.rows, function (row) {
        labelRow(row, labels);
      });
    });
    if (table.tFoot) {
      Array.prototype.forEach.call(table.tFoot.rows, function (row) {
        labelRow(row, labels);
      });
    }
    table.tHead.setAttribute("role", "rowgroup");
    table.classList.add("as-cards");
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("main table"), asCards);
  });
})();

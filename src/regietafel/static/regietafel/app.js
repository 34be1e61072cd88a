// Regietafel's own script. The Content Security Policy allows no inline script or event handler, so behaviour
// hangs on data attributes and is wired up here, by delegation on the document: it keeps working for content
// that htmx swaps in.
"use strict";

// <select data-submit-on-change>: submit the form as soon as another option is chosen (the language switcher).
// Without JavaScript the form shows its own submit button (<noscript>).
document.addEventListener("change", (event) => {
  const control = event.target;
  if (!(control instanceof HTMLSelectElement) || !control.hasAttribute("data-submit-on-change") || !control.form) {
    return;
  }
  control.form.requestSubmit();
});

// The main menu's groups (<details data-menu>): one open at a time; Escape or a click elsewhere closes it and
// returns the focus to its summary.
document.addEventListener("toggle", (event) => {
  const opened = event.target;
  if (!(opened instanceof HTMLDetailsElement) || !opened.hasAttribute("data-menu") || !opened.open) {
    return;
  }
  for (const other of document.querySelectorAll("details[data-menu][open]")) {
    if (other !== opened) other.open = false;
  }
}, true);
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = document.querySelector("details[data-menu][open]");
  if (open) {
    open.open = false;
    open.querySelector("summary").focus();
    return;
  }
  const toggle = document.querySelector(".rt-menu-toggle[aria-expanded='true']");
  if (toggle && toggle.offsetParent !== null) {
    toggle.click();
    toggle.focus();
  }
});

// On a phone the header's menu folds away behind a "Menu" button (app.css); without JavaScript it stays open.
document.documentElement.classList.add("rt-js");
for (const toggle of document.querySelectorAll(".rt-menu-toggle")) {
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    document.getElementById(toggle.getAttribute("aria-controls")).classList.toggle("rt-header__menu--open", open);
  });
}
document.addEventListener("click", (event) => {
  for (const open of document.querySelectorAll("details[data-menu][open]")) {
    if (!open.contains(event.target)) open.open = false;
  }
});

// Tables become cards on a phone (app.css, below 48rem): each cell shows its column's name (data-label). The
// monitor's tables carry their labels from the server; every other table with one header row gets them here.
// Without JavaScript such a table scrolls sideways in its box with its first column in sight.
function cardify(root) {
  for (const table of root.querySelectorAll("table.rt-table:not(.rt-table--cards)")) {
    const heads = table.tHead ? [...table.tHead.rows] : [];
    if (heads.length !== 1 || [...heads[0].cells].some((cell) => cell.colSpan > 1)) continue;
    const labels = [...heads[0].cells].map((cell) => cell.textContent.replace(/\s+/g, " ").trim());
    for (const body of [...table.tBodies, ...(table.tFoot ? [table.tFoot] : [])]) {
      for (const row of body.rows) {
        if (row.cells.length !== labels.length) continue;  // a row like "nothing found" spans the table
        [...row.cells].forEach((cell, index) => {
          if (cell.tagName === "TD" && labels[index] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[index]);
          }
        });
      }
    }
    table.classList.add("rt-table--cards");
  }
}
cardify(document);
document.addEventListener("htmx:load", (event) => cardify(event.target));

// A chart that scrolls in its box (a phone) opens at its end: the latest half-years.
for (const plot of document.querySelectorAll(".rt-chart__plot")) {
  plot.scrollLeft = plot.scrollWidth;
}

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
  }
});
document.addEventListener("click", (event) => {
  for (const open of document.querySelectorAll("details[data-menu][open]")) {
    if (!open.contains(event.target)) open.open = false;
  }
});

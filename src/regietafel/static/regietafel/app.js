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

// The API reference page: Swagger UI reads the OpenAPI document named on the page (no inline script: the Content
// Security Policy forbids it). "Try it out" is off: a developer tries calls with their own token and tools.
(function () {
  "use strict";
  var target = document.getElementById("api-reference");
  if (!target || typeof SwaggerUIBundle === "undefined") return;
  target.textContent = "";
  SwaggerUIBundle({
    url: target.getAttribute("data-document"),
    domNode: target,
    deepLinking: true,
    supportedSubmitMethods: [],
    defaultModelsExpandDepth: 0,
  });
})();

// API reference page (/api-docs/): Swagger UI (vendored from npm into /lib/swagger-ui) reading the OpenAPI document.
(function () {
  var el = document.getElementById('swagger-ui');
  window.SwaggerUIBundle({ url: el.getAttribute('data-url'), domNode: el, deepLinking: true, withCredentials: true });
})();

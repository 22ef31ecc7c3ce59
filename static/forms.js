/* The staff pages' forms: the error summary takes the focus, its links take it to the field, and a
   field required only for one choice of another (FieldSpec.required_if) says so as that choice
   changes. No inline script: the Content-Security-Policy forbids it (service/headers.py). */
(function () {
  "use strict";

  // GOV.UK Design System, error summary: focus on load so a screen reader reads it first
  // (WCAG 2.1 SC 3.3.1); each link focuses its field and shows its label or legend above it.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) { return; }
      event.preventDefault();
      var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
      var label = document.querySelector("label[for='" + input.id + "']") || legend || input;
      input.focus({ preventScroll: true });
      label.scrollIntoView();
    });
  }

  // Fields required only while another field has one value (e.g. the matter of a specific
  // authorisation): the visible marker and aria-required follow that field (WCAG 2.1 SC 3.3.2).
  var dependants = document.querySelectorAll("[data-required-if]");
  function update(box) {
    var form = box.closest("form");
    var other = form.elements[box.dataset.requiredIf];
    if (!other) { return; }
    var value = other.value;  // a RadioNodeList's value is the checked radio's
    var required = value === box.dataset.requiredValue;
    var marker = box.querySelector(".req");
    if (marker) { marker.hidden = !required; }
    box.querySelectorAll("input, textarea, select").forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox" || input.type === "file") { return; }
      if (required) { input.setAttribute("aria-required", "true"); } else { input.removeAttribute("aria-required"); }
    });
  }
  dependants.forEach(function (box) {
    update(box);
    var form = box.closest("form");
    form.addEventListener("change", function (event) {
      if (event.target.name === box.dataset.requiredIf) { update(box); }
    });
  });
})();

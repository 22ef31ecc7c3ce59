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
    // a RadioNodeList's value is the checked radio's; a checkbox's value is "y" ticked or not, so a
    // yes/no field (a BooleanField: required_if ("court_ordered", True)) is read as ticked or not,
    // "true" or "false" as the page writes True and False (_fields.html)
    var value = other.type === "checkbox" ? String(other.checked) : other.value;
    var required = value === box.dataset.requiredValue;
    var marker = box.querySelector(".req");
    if (marker) { marker.hidden = !required; }
    // A field of another choice only (a family's basis of support; a document's FieldSpec.conditional,
    // the visit record's „Jakie miejsce” of „inne”) is hidden until it applies; without scripts
    // every field shows, and the server ignores those that do not apply.
    if (box.hasAttribute("data-conditional")) { box.hidden = !required; }
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

  // A numbered group's rows (a plan's goals, data-title-field) are chosen elsewhere by their words
  // (an action's goal, data-rows-of: FieldSpec.refers_to): each such choice offers one radio per
  // row, „Cel 2: <its text>”, kept in step as goals are typed, added and taken out. A goal taken out
  // takes its choice with it: an action that served it is unticked, one that served a later goal
  // follows it (3 becomes 2), as the server does without scripts (forms_builder.without_row).
  function offerRows(group, removed) {
    var name = group.dataset.repeat;
    var rows = group.querySelectorAll("[data-row]");
    var titles = Array.prototype.map.call(rows, function (row) {
      var text = row.querySelector("[name$='-" + group.dataset.titleField + "']");
      return text ? text.value.replace(/\s+/g, " ").trim() : "";
    });
    document.querySelectorAll("[data-rows-of='" + name + "']").forEach(function (box) {
      var labels = box.querySelectorAll("label.check");
      if (!labels.length) { return; }
      var checked = box.querySelector("input:checked");
      var value = checked ? parseInt(checked.value, 10) : 0;
      if (removed !== undefined && value) {
        value = value === removed + 1 ? 0 : (value > removed + 1 ? value - 1 : value);
      }
      var parent = labels[0].parentNode;
      for (var k = labels.length; k < rows.length; k++) {
        var copy = labels[0].cloneNode(true);
        parent.appendChild(copy);
      }
      for (var j = labels.length; j > rows.length; j--) { labels[j - 1].remove(); }
      box.querySelectorAll("label.check").forEach(function (label, i) {
        var input = label.querySelector("input");
        input.value = String(i + 1);
        input.id = input.name + "-" + i;
        input.checked = value === i + 1;
        label.querySelector("span").textContent = group.dataset.rowLabel + " " + (i + 1) + (titles[i] ? ": " + titles[i] : "");
      });
    });
  }
  document.querySelectorAll("[data-repeat][data-title-field]").forEach(function (group) {
    group.addEventListener("input", function (event) {
      if (event.target.name && event.target.name.slice(-(group.dataset.titleField.length + 1)) === "-" + group.dataset.titleField) {
        offerRows(group);
      }
    });
  });

  // Repeating rows (a family's members): „Dodaj osobę” copies the last row empty, „Usuń” takes a
  // row out; the rows are renumbered (name and id members-<i>-…) so the server reads them in
  // order. Without scripts both buttons submit the form and the server adds or removes the row.
  // a row's first field, whatever its kind (an input, a list to choose from or a text area)
  var FIELDS = "input, select, textarea";
  document.querySelectorAll("[data-repeat]").forEach(function (group) {
    var name = group.dataset.repeat;
    var max = parseInt(group.dataset.max, 10);
    var min = parseInt(group.dataset.min, 10);
    var addButton = group.querySelector("[data-add-row]");
    var pattern = new RegExp(name + "-\\d+-", "g");
    function rows() { return group.querySelectorAll("[data-row]"); }
    function renumber() {
      rows().forEach(function (row, i) {
        var prefix = name + "-" + i + "-";
        row.querySelectorAll("[id], [name], [for], [aria-describedby]").forEach(function (el) {
          ["id", "name", "for", "aria-describedby"].forEach(function (attr) {
            if (el.hasAttribute(attr)) { el.setAttribute(attr, el.getAttribute(attr).replace(pattern, prefix)); }
          });
        });
        var legend = row.querySelector("legend");
        legend.textContent = group.dataset.rowLabel + " " + (i + 1) + (i >= min ? " (opcjonalnie)" : "");
        var remove = row.querySelector("[data-remove-row]");
        if (remove) {
          remove.value = (group.dataset.removePrefix || "") + i;
          remove.textContent = (group.dataset.removeLabel || "Usuń osobę") + " " + (i + 1);
        }
      });
      if (addButton) { addButton.hidden = rows().length >= max; }
    }
    group.addEventListener("click", function (event) {
      var remove = event.target.closest("[data-remove-row]");
      if (remove) {
        event.preventDefault();
        var row = remove.closest("[data-row]");
        var next = row.nextElementSibling;
        var index = Array.prototype.indexOf.call(rows(), row);
        row.remove();
        renumber();
        if (group.dataset.titleField) { offerRows(group, index); }
        (next && next.matches("[data-row]") ? next.querySelector(FIELDS) : addButton).focus();
        return;
      }
      if (event.target.closest("[data-add-row]")) {
        event.preventDefault();
        var all = rows();
        if (all.length >= max) { return; }
        var last = all[all.length - 1];
        var copy = last.cloneNode(true);
        copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
        copy.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
        copy.querySelectorAll("input, select, textarea").forEach(function (input) {
          if (input.type === "radio" || input.type === "checkbox") { input.checked = false; }
          else if (input.tagName === "SELECT") { input.selectedIndex = 0; }
          else { input.value = ""; }
          input.setAttribute("aria-invalid", "false");
          var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
            return id && !/-error$/.test(id);
          });
          if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); }
          else { input.removeAttribute("aria-describedby"); }
        });
        copy.querySelectorAll(".req").forEach(function (el) { el.hidden = true; });
        copy.querySelectorAll("[aria-required]").forEach(function (el) { el.removeAttribute("aria-required"); });
        if (!copy.querySelector("[data-remove-row]")) {
          var p = document.createElement("p");
          p.className = "row-actions";
          var button = document.createElement("button");
          button.type = "submit"; button.name = "remove_row"; button.className = "remove-row";
          button.setAttribute("data-remove-row", "");
          p.appendChild(button);
          copy.appendChild(p);
        }
        last.after(copy);
        renumber();
        if (group.dataset.titleField) { offerRows(group); }
        copy.querySelector(FIELDS).focus();
      }
    });
  });
})();

// The form page's only script, and optional: without it every field shows, each conditional
// one with a hint, and the server applies the same rules. With it, fields whose showIf does
// not hold are hidden and disabled (so they are neither required nor sent), live, and the
// browser's own checks use the server's words in the page's language.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.querySelector("form.form");
  if (!form) return;
  var conditional = Array.prototype.slice.call(form.querySelectorAll("[data-show-if]"));

  // The values a field would send now: none while it is disabled (hidden), "true"/"false" for
  // a single checkbox, the checked ones of a group, else its value.
  function valuesOf(name) {
    var controls = Array.prototype.filter.call(form.elements, function (control) {
      return control.name === name && !control.disabled;
    });
    if (controls.length === 1 && controls[0].type === "checkbox") {
      return [controls[0].checked ? "true" : "false"];
    }
    return controls.filter(function (control) {
      return (control.type !== "checkbox" && control.type !== "radio") || control.checked;
    }).map(function (control) { return control.value; });
  }

  // Conditions only point upwards, so one pass in document order settles chains.
  function update() {
    conditional.forEach(function (wrapper) {
      var wanted = JSON.parse(wrapper.getAttribute("data-show-values"));
      var shown = valuesOf(wrapper.getAttribute("data-show-if")).some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      wrapper.hidden = !shown;
      Array.prototype.forEach.call(wrapper.querySelectorAll("input, select, textarea"), function (control) {
        control.disabled = !shown;
        if (control.hasAttribute("data-required")) control.required = shown;
      });
    });
  }

  var messages = JSON.parse(form.getAttribute("data-messages") || "{}");
  var typeKeys = { email: "invalidEmail", url: "invalidURL", tel: "invalidTelephone", number: "invalidNumber", date: "invalidDate", time: "invalidTime" };

  // The catalogue key (FieldProblem's code) for what the browser found, and its {n}/{value}.
  function explain(control) {
    var state = control.validity;
    var key = state.valueMissing ? "required"
      : state.tooShort ? "tooShort"
      : state.tooLong ? "tooLong"
      : state.typeMismatch || state.badInput ? typeKeys[control.type]
      : state.patternMismatch ? "patternMismatch"
      : state.rangeUnderflow ? "belowMinimum"
      : state.rangeOverflow ? "aboveMaximum"
      : state.stepMismatch ? "stepMismatch" : null;
    var text = key && messages[key];
    if (!text) return "";
    var limit = { tooShort: "minlength", tooLong: "maxlength", belowMinimum: "min", aboveMaximum: "max", stepMismatch: "step" }[key];
    var value = limit ? control.getAttribute(limit) || "" : "";
    return text.replace("{n}", value).replace("{value}", value);
  }

  form.addEventListener("invalid", function (event) {
    var control = event.target;
    control.setCustomValidity("");
    if (!control.validity.valid) control.setCustomValidity(explain(control));
  }, true);

  // A custom message makes a control invalid until cleared: clear the whole group on any answer.
  function clearMessages(event) {
    Array.prototype.forEach.call(form.elements, function (control) {
      if (control.name === event.target.name && control.setCustomValidity) control.setCustomValidity("");
    });
    update();
  }

  form.addEventListener("change", clearMessages);

  // A step of a multi-step form is saved as the person leaves each field, so a closed tab loses
  // at most the field being typed. Same address, token and rules as Continue; "autosave" in the
  // query counts it as a page load and lets it do nothing but save.
  if (form.hasAttribute("data-autosave") && window.fetch && window.URLSearchParams && window.FormData) {
    form.addEventListener("change", function () {
      var body = new URLSearchParams(new FormData(form));
      body.set("_action", "save");
      fetch(form.action + "&autosave=1", { method: "POST", body: body, credentials: "same-origin", keepalive: true })
        .catch(function () { /* Continue still sends everything: a lost save costs nothing. */ });
    });
  }
  form.addEventListener("input", clearMessages);
  update();
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();

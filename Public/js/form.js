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
    form.addEventListener("change", function (event) {
      if (event.target.type === "file") return;  // files go with Continue, not with a save
      var body = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string") body.append(name, value);
      });
      body.set("_action", "save");
      fetch(form.action + "&autosave=1", { method: "POST", body: body, credentials: "same-origin", keepalive: true })
        .catch(function () { /* Continue still sends everything: a lost save costs nothing. */ });
    });
  }
  form.addEventListener("input", clearMessages);

  // Files: a big photo is scaled down on the phone before it is sent (longest side 2560 px, as
  // JPEG, which also leaves its metadata behind), a thumbnail shows what was picked, and the post
  // shows its progress. Without the script the plain file input works; the server checks all.
  var fileInputs = Array.prototype.slice.call(form.querySelectorAll("input[type=file]"));
  if (fileInputs.length && window.FormData && window.XMLHttpRequest && window.URL && URL.createObjectURL && window.Promise) {
    var picked = {};  // input name -> a promise of the files to send
    var longestSide = 2560;

    var scaled = function (file) {
      return new Promise(function (resolve) {
        if (!/^image\/(jpeg|png)$/.test(file.type) || !window.createImageBitmap) return resolve(file);
        createImageBitmap(file).then(function (bitmap) {
          var longest = Math.max(bitmap.width, bitmap.height);
          if (longest <= longestSide) return resolve(file);
          var canvas = document.createElement("canvas");
          canvas.width = Math.round(bitmap.width * longestSide / longest);
          canvas.height = Math.round(bitmap.height * longestSide / longest);
          canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
          canvas.toBlob(function (blob) {
            resolve(blob ? new File([blob], "photo.jpg", { type: "image/jpeg" }) : file);
          }, "image/jpeg", 0.85);
        }, function () { resolve(file); });
      });
    };

    fileInputs.forEach(function (input) {
      var preview = document.createElement("div");
      preview.className = "files__preview";
      input.insertAdjacentElement("afterend", preview);
      input.addEventListener("change", function () {
        preview.textContent = "";
        var files = Array.prototype.slice.call(input.files);
        files.forEach(function (file) {
          if (!/^image\/(jpeg|png)$/.test(file.type)) return;
          var thumbnail = document.createElement("img");
          thumbnail.className = "files__thumbnail";
          thumbnail.alt = "";
          thumbnail.src = URL.createObjectURL(file);
          preview.appendChild(thumbnail);
        });
        picked[input.name] = Promise.all(files.map(scaled));
      });
    });

    var progress = document.createElement("progress");
    progress.className = "upload-progress";
    progress.max = 100;
    progress.value = 0;
    progress.hidden = true;
    var actions = form.querySelector(".actions");
    if (actions) actions.insertAdjacentElement("beforebegin", progress);

    form.addEventListener("submit", function (event) {
      var names = Object.keys(picked);
      if (event.defaultPrevented || !names.length) return;
      event.preventDefault();
      var submitter = event.submitter;
      Promise.all(names.map(function (name) { return picked[name]; })).then(function (lists) {
        var data = new FormData(form);
        if (submitter && submitter.name) data.append(submitter.name, submitter.value);
        names.forEach(function (name, index) {
          // The kept files' ids share the input's name: put them back after the picked files go.
          var kept = Array.prototype.map.call(form.querySelectorAll("input[type=hidden][name='" + name + "']"),
            function (hidden) { return hidden.value; });
          data.delete(name);
          kept.forEach(function (id) { data.append(name, id); });
          lists[index].forEach(function (file) { data.append(name, file, file.name || "file"); });
        });
        var request = new XMLHttpRequest();
        request.open("POST", form.action);
        request.upload.onprogress = function (progressEvent) {
          if (!progressEvent.lengthComputable) return;
          progress.hidden = false;
          progress.value = Math.round(100 * progressEvent.loaded / progressEvent.total);
        };
        request.onload = function () {
          // Sent on (303): go where the server said. Otherwise its page (errors, a status) replaces this one.
          if (request.responseURL && request.responseURL.split("#")[0] !== form.action) {
            window.location.assign(request.responseURL);
            return;
          }
          document.open();
          document.write(request.responseText);
          document.close();
        };
        request.onerror = function () { form.submit(); };
        request.send(data);
      });
    });
  }

  update();
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();

// Progressive enhancement of the report form: hide the questions that do not apply to the answers
// given so far. The page works without this file; the server checks every rule either way.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var conditional = form.querySelectorAll("[data-show-if]");
  function valueOf(name) {
    var fields = form.elements.namedItem(name);
    if (!fields) { return ""; }
    if (fields.length !== undefined && fields.tagName !== "SELECT") {
      for (var i = 0; i < fields.length; i++) { if (fields[i].checked) { return fields[i].value; } }
      return "";
    }
    if (fields.type === "radio" || fields.type === "checkbox") { return fields.checked ? fields.value : ""; }
    return fields.value;
  }
  function applies(rule) {
    return rule.split("&").every(function (part) {
      var pair = part.split("=");
      return pair[1].split("|").indexOf(valueOf(pair[0])) !== -1;
    });
  }
  function update() {
    for (var i = 0; i < conditional.length; i++) {
      var block = conditional[i];
      var shown = applies(block.getAttribute("data-show-if"));
      block.classList.toggle("rp-hidden", !shown);
      // The note "answer only if …" is for pages without this script.
      var note = block.querySelector(".rp-condition");
      if (note) { note.classList.add("rp-hidden"); }
    }
  }
  form.addEventListener("change", update);
  update();
})();

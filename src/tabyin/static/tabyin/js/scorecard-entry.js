// The scorecard's entry steps: save as you go. Optional: without this file the page's buttons save.
// A changed answer posts the whole form (files left out) to the form's own address in the
// background, with the X-Tabyin-Autosave header: the server runs the buttons' save (same service,
// same checks) and answers JSON. The status line (an aria-live region the page draws, with its
// texts in the page's language) says "saving", "saved" or why not. A figure far from the usual
// comes back with the page's own "are you sure?" note and its box, which saves the same way.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = form.querySelector("[data-autosave-status]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!status || !token || !form.getAttribute("action")) {
    return;
  }
  // Not form.action: the buttons named "action" shadow it.
  var address = form.getAttribute("action");
  var text = status.dataset;
  var timer = 0;
  var running = Promise.resolve();
  var submitting = false;
  var inflight = 0;

  function say(message, kind) {
    status.textContent = message;
    status.className = "scs-autosave scs-autosave-" + kind;
  }

  function fields() {
    var data = new FormData(form);
    var files = [];
    data.forEach(function (value, name) {
      if (name.indexOf("file-") === 0) {
        files.push(name);
      }
    });
    files.forEach(function (name) {
      data.delete(name);
    });
    return data;
  }

  function showNotes(notes) {
    Object.keys(notes || {}).forEach(function (code) {
      var slot = form.querySelector('[data-note-slot="' + CSS.escape(code) + '"]');
      // Replaced only when it changed, so a box being ticked keeps its focus.
      if (slot && slot.innerHTML.trim() !== notes[code].trim()) {
        slot.innerHTML = notes[code];
      }
    });
  }

  function save() {
    if (submitting) {
      return Promise.resolve();
    }
    say(text.saving, "saving");
    inflight += 1;
    return fetch(address, {
      method: "POST",
      body: fields(),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value, "X-Tabyin-Autosave": "1", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (answer.saved) {
          showNotes(answer.notes);
          say(answer.check ? text.check : text.saved, answer.check ? "check" : "ok");
        } else {
          say(text.failed + " " + (answer.errors || []).join(" "), "error");
        }
      });
    }).catch(function () {
      say(text.offline, "error");
    }).then(function () {
      inflight -= 1;
    });
  }

  form.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.name || field.type === "file") {
      return;
    }
    // A short wait: answers typed in a row go in one post, and a button pressed right after the
    // change saves the page itself (its submit cancels the wait).
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      running = running.then(save);
    }, 400);
  });

  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    // A background save still under way finishes first, then the page is sent with the same
    // button: two saves of one submission never run at once.
    if (inflight > 0 && !submitting && form.requestSubmit) {
      event.preventDefault();
      submitting = true;
      var button = event.submitter;
      running.then(function () {
        form.requestSubmit(button);
      });
      return;
    }
    submitting = true;
  });
})();

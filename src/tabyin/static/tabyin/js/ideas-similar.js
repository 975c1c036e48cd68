// Progressive enhancement of the idea form: while the author types the title or the text, ask the
// server (after a pause) for earlier entries that read alike, and list them in a live region.
// The page works without this file: the same search runs as a step before sending.
(function () {
  "use strict";
  var region = document.getElementById("similar-live");
  var form = document.querySelector("[data-testid='entry-form']");
  if (!region || !form || !window.fetch) { return; }
  var title = form.elements.namedItem("title");
  var body = form.elements.namedItem("body");
  if (!title || !body) { return; }
  var PAUSE = 600; // ms after the last key before asking
  var MIN = 12; // characters; the server ignores shorter text too
  var timer = null;
  var asked = "";
  var pending = null;

  function show(items) {
    while (region.firstChild) { region.removeChild(region.firstChild); }
    if (!items.length) { return; }
    var box = document.createElement("div");
    box.className = "ideas-notice";
    var heading = document.createElement("h2");
    heading.textContent = region.getAttribute("data-heading");
    var hint = document.createElement("p");
    hint.textContent = region.getAttribute("data-hint");
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      if (item.url) {
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.title;
        li.appendChild(link);
      } else {
        li.appendChild(document.createTextNode(item.title + " "));
        var note = document.createElement("span");
        note.className = "help";
        note.textContent = "(" + region.getAttribute("data-waiting") + ")";
        li.appendChild(note);
      }
      list.appendChild(li);
    });
    box.appendChild(heading);
    box.appendChild(hint);
    box.appendChild(list);
    region.appendChild(box);
  }

  function ask() {
    var text = (title.value + "\n" + body.value).trim();
    if (text.length < MIN || text === asked) { return; }
    asked = text;
    if (pending && pending.abort) { pending.abort(); }
    pending = window.AbortController ? new AbortController() : null;
    var url = region.getAttribute("data-url") + "?q=" + encodeURIComponent(text);
    window.fetch(url, {
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      signal: pending ? pending.signal : undefined
    }).then(function (response) {
      // A refusal (too many questions, the session ended) leaves the list as it was.
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && data.similar) { show(data.similar); }
    }).catch(function () { /* aborted or offline: the step before sending still checks */ });
  }

  function typed() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(ask, PAUSE);
  }
  title.addEventListener("input", typed);
  body.addEventListener("input", typed);
})();

// Public pages only (base.html leaves it out of staff pages). Three small jobs, each optional:
// the pages work the same without this file.
// 1. Register the service worker (/sw.js), which keeps pages read for offline reading.
// 2. On the offline page, list the pages kept on this device.
// 3. Keep drafts of forms marked data-draft on this device until they are sent, so that a
//    report, a tip or an answer typed on a bad connection is not lost; a post is sent once.
(function () {
  "use strict";
  var root = document.documentElement;
  var fa = root.lang !== "en";
  var text = {
    restored: fa ? "پیش‌نویس شما که روی همین دستگاه نگه داشته شده بود بازگردانده شد." :
      "Your draft, kept on this device, has been restored.",
    discard: fa ? "پاک کردن پیش‌نویس" : "Discard the draft",
    held: fa ? "اتصال به اینترنت برقرار نیست. پیش‌نویس شما روی همین دستگاه نگه داشته شد و وقتی اتصال برگردد یک بار فرستاده می‌شود." :
      "You are offline. Your draft is kept on this device and will be sent once when the connection returns.",
    sending: fa ? "اتصال برگشت؛ پیش‌نویس شما فرستاده می‌شود…" : "Back online: sending your draft…"
  };

  var worker = document.currentScript && document.currentScript.getAttribute("data-sw");
  if ("serviceWorker" in navigator && worker) {
    navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {});
  }

  var saved = document.querySelector("[data-saved-pages]");
  if (saved && "caches" in window) {
    caches.open("tabyin-pages-v1").then(function (cache) {
      return cache.keys().then(function (keys) {
        return Promise.all(keys.map(function (request) {
          return cache.match(request).then(function (response) { return [request, response]; });
        }));
      });
    }).then(function (pairs) {
      pairs.forEach(function (pair) {
        var url = new URL(pair[0].url);
        var raw = pair[1] && pair[1].headers.get("X-Tabyin-Title");
        var title = raw ? new DOMParser().parseFromString(decodeURIComponent(raw), "text/html").documentElement.textContent : "";
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = url.pathname + url.search;
        link.textContent = title || decodeURIComponent(url.pathname);
        item.appendChild(link);
        saved.appendChild(item);
      });
      if (pairs.length) { saved.hidden = false; }
    });
  }

  var PREFIX = "tabyin-draft:";
  var SKIP = { password: 1, file: 1, hidden: 1, submit: 1, button: 1 };
  function storage() { try { return window.localStorage; } catch (error) { return null; } }
  var store = storage();
  if (!store) { return; }

  // A draft marked as sent is removed on the next page that is not its form: the post went
  // through (a receipt or thanks page). If the form comes back (an error), the draft stays.
  Object.keys(store).forEach(function (key) {
    if (key.indexOf(PREFIX) !== 0) { return; }
    try {
      var draft = JSON.parse(store.getItem(key) || "{}");
      if (draft.sent && draft.path !== location.pathname) { store.removeItem(key); }
    } catch (error) { store.removeItem(key); }
  });

  // A restored draft is said at the top of the form; a post held offline is said beside the
  // button just pressed, where the person is looking.
  function note(form, message, withDiscard, atButton) {
    var box = form.querySelector(".draft-note");
    if (box) { box.remove(); }
    box = document.createElement("div");
    box.className = "draft-note";
    box.setAttribute("role", "status");
    var button = atButton && form.querySelector("button[type='submit'], button:not([type]), input[type='submit']");
    if (button) { button.parentNode.insertBefore(box, button); } else { form.insertBefore(box, form.firstChild); }
    box.textContent = message + " ";
    if (withDiscard) {
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "link";
      discard.textContent = text.discard;
      discard.addEventListener("click", function () {
        store.removeItem(PREFIX + form.getAttribute("data-draft"));
        form.reset();
        box.remove();
      });
      box.appendChild(discard);
    }
    if (atButton && box.scrollIntoView) { box.scrollIntoView({ block: "center" }); }
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !SKIP[field.type] && !field.closest("[data-no-draft]") &&
        !field.closest("[aria-hidden='true']");
    });
  }

  function save(form, extra) {
    var key = PREFIX + form.getAttribute("data-draft");
    var old = {};
    try { old = JSON.parse(store.getItem(key) || "{}"); } catch (error) { old = {}; }
    var values = {};
    fields(form).forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) { (values[field.name] = values[field.name] || []).push(field.value); }
      } else if (field.value) { values[field.name] = [field.value]; }
    });
    var draft = { path: location.pathname, values: values, pending: !!old.pending, sent: false };
    Object.keys(extra || {}).forEach(function (name) { draft[name] = extra[name]; });
    store.setItem(key, JSON.stringify(draft));
    return draft;
  }

  function empty(form) {
    return fields(form).every(function (field) {
      return field.type === "radio" || field.type === "checkbox" || field.tagName === "SELECT" || !field.value;
    });
  }

  function restore(form, draft) {
    fields(form).forEach(function (field) {
      var values = draft.values[field.name];
      if (!values) { return; }
      if (field.type === "radio" || field.type === "checkbox") { field.checked = values.indexOf(field.value) !== -1; }
      else { field.value = values[0]; }
    });
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function send(form) {
    // The pending mark goes before the post: an "online" event that fires twice sends once.
    save(form, { pending: false, sent: true });
    note(form, text.sending, false, true);
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    var key = PREFIX + form.getAttribute("data-draft");
    var draft = null;
    try { draft = JSON.parse(store.getItem(key) || "null"); } catch (error) { draft = null; }
    // A form the server sent back with the person's own values (an error) wins over the draft.
    if (draft && !draft.sent && draft.path === location.pathname && empty(form)) {
      restore(form, draft);
      note(form, draft.pending ? text.held : text.restored, !draft.pending);
    }
    form.addEventListener("input", function () { save(form); });
    form.addEventListener("change", function () { save(form); });
    form.addEventListener("submit", function (event) {
      if (navigator.onLine === false) {
        event.preventDefault();
        event.stopImmediatePropagation();
        save(form, { pending: true });
        note(form, text.held, false, true);
        return;
      }
      save(form, { pending: false, sent: true });
    }, true);
    window.addEventListener("online", function () {
      var current = null;
      try { current = JSON.parse(store.getItem(key) || "null"); } catch (error) { current = null; }
      if (current && current.pending) { send(form); }
    });
    // After every deferred script of the page has run: the report form's proof-of-work script
    // must be listening before the post, or the post goes out unsolved.
    if (draft && draft.pending && navigator.onLine !== false) {
      window.addEventListener("load", function () { send(form); });
    }
  });
})();

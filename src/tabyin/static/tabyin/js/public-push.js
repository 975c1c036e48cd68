// "Tell me on this device": the button under a person's notices (core/notify/public_push.html).
// Progressive: the form is hidden in the HTML and shown only when this browser can take a push
// subscription and the server gave a VAPID key; otherwise nothing is shown and the page works as
// before. The subscription is posted with the page's CSRF token and a grant that can only set
// this mailbox's subscription (core/notify/web_public.py), never the mailbox token.
(function () {
  "use strict";
  var form = document.querySelector("form[data-public-push]");
  if (!form) { return; }
  var key = form.getAttribute("data-key");
  if (!key || !("serviceWorker" in navigator) || !("PushManager" in window) ||
      !("Notification" in window) || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector("[data-push-status]");
  var button = form.querySelector("button");

  // The VAPID key is base64url text; subscribe() wants its bytes.
  function bytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  function say(name) { status.textContent = form.getAttribute("data-" + name) || ""; }

  function permission() {
    if (Notification.permission === "granted") { return Promise.resolve("granted"); }
    return new Promise(function (resolve) {
      var asked = Notification.requestPermission(resolve);  // old Safari answers by callback
      if (asked && asked.then) { asked.then(resolve); }
    });
  }

  function subscribe() {
    return navigator.serviceWorker.ready.then(function (registration) {
      return registration.pushManager.getSubscription().then(function (found) {
        return found || registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: bytes(key)
        });
      });
    });
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    status.textContent = "";
    permission().then(function (answer) {
      if (answer !== "granted") { say("refused"); return null; }
      return subscribe().then(function (subscription) {
        var data = new FormData(form);
        data.set("subscription", JSON.stringify(subscription.toJSON ? subscription.toJSON() : subscription));
        return fetch(form.action, {
          method: "POST", body: data, credentials: "same-origin",
          headers: { "X-CSRFToken": String(data.get("csrfmiddlewaretoken") || "") }
        });
      }).then(function (response) { say(response.ok ? "done" : "failed"); });
    }).catch(function () { say("failed"); }).then(function () { button.disabled = false; });
  });
})();

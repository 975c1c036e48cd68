// Tabyin's service worker (issue 21). Served by core/site/views_pwa.py at /sw.js, which puts the
// CONFIG object above this text. Written for Tabyin; no third-party script.
//
// What it does, and why each rule is there:
// - Public pages are fetched from the network first; a copy of each page read is kept so that it
//   can be read again offline, with a notice saying when it was saved.
// - Nothing from staff pages, the API, or a violation report's receipt and follow-up is ever
//   stored: CONFIG.neverStore lists those path prefixes, and a response marked no-store or
//   private is never stored either, whatever its path.
// - Static files have hashed names (ManifestStaticFilesStorage), so a stored copy never goes stale.
// - Form posts always go to the network; drafts are kept by pwa.js in the page, not here.
// - A push (a notice to the public, ADR 0040) is shown as a Persian notification; a click on it
//   opens an address on this site only.
/* global CONFIG */
"use strict";

var SHELL = "tabyin-shell-" + CONFIG.version;
var PAGES = "tabyin-pages-v1";
var SAVED_AT = "X-Tabyin-Saved-At";
var TITLE = "X-Tabyin-Title";  // the offline page lists kept pages by title, not by address

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) { return cache.addAll(CONFIG.shell); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("tabyin-shell-") === 0 && name !== SHELL;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function neverStored(path) {
  return CONFIG.neverStore.some(function (prefix) { return path.indexOf(prefix) === 0; });
}

function storable(response) {
  if (!response || response.status !== 200 || response.type !== "basic") { return false; }
  var control = (response.headers.get("Cache-Control") || "").toLowerCase();
  if (control.indexOf("no-store") !== -1 || control.indexOf("private") !== -1) { return false; }
  return (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

function keep(request, response) {
  return response.clone().text().then(function (body) {
    var headers = new Headers(response.headers);
    headers.set(SAVED_AT, new Date().toISOString());
    var title = /<title>([^<]*)<\/title>/.exec(body);
    if (title) { headers.set(TITLE, encodeURIComponent(title[1].trim())); }
    return caches.open(PAGES).then(function (cache) {
      return cache.put(request, new Response(body, { status: 200, headers: headers }));
    });
  });
}

function english(path) { return path === "/en" || path.indexOf("/en/") === 0; }

function savedOn(iso, path) {
  var when = new Date(iso);
  var options = { dateStyle: "long", timeStyle: "short", timeZone: "Asia/Tehran" };
  try {
    return english(path) ? when.toLocaleString("en-GB", options)
      : when.toLocaleString("fa-IR-u-ca-persian-nu-arabext", options);
  } catch (error) { return iso; }
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[c];
  });
}

// A stored page is shown with a notice at the top of <main>: the reader must know it may be old.
function withNotice(response, path) {
  var text = english(path) ? CONFIG.notice.en : CONFIG.notice.fa;
  var when = escapeHtml(savedOn(response.headers.get(SAVED_AT) || "", path));
  var notice = "<p class=\"offline-notice\" role=\"status\" data-offline-notice>" +
    escapeHtml(text).replace("{when}", "<time>" + when + "</time>") + "</p>";
  return response.text().then(function (body) {
    var marker = body.indexOf("<main");
    var end = marker === -1 ? -1 : body.indexOf(">", marker);
    var html = end === -1 ? notice + body : body.slice(0, end + 1) + notice + body.slice(end + 1);
    var headers = new Headers(response.headers);
    headers.delete(SAVED_AT);
    headers.delete(TITLE);
    return new Response(html, { status: 200, headers: headers });
  });
}

function offlinePage(path) {
  return caches.match(english(path) ? CONFIG.offline.en : CONFIG.offline.fa).then(function (page) {
    return page || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  });
}

function page(request, path) {
  return fetch(request).then(function (response) {
    if (storable(response)) { return keep(request, response).then(function () { return response; }); }
    return response;
  }).catch(function () {
    return caches.match(request, { cacheName: PAGES }).then(function (stored) {
      return stored ? withNotice(stored, path) : offlinePage(path);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (neverStored(url.pathname)) {
    // Never kept, but an offline visit still gets the offline page, not the browser's error.
    if (request.mode === "navigate") {
      event.respondWith(fetch(request).catch(function () { return offlinePage(url.pathname); }));
    }
    return;
  }
  if (url.pathname.indexOf(CONFIG.staticUrl) === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate") { event.respondWith(page(request, url.pathname)); }
});

// A notice to the public sent by browser push (core/notify/channels.py: {"title", "body", "url"}).
// Persian first: right to left, with the site's icon. A message that is not that JSON still shows
// the site's name, because a push the browser receives must show something.
function pushNotice(data) {
  var notice = data && typeof data === "object" ? data : {};
  var title = typeof notice.title === "string" && notice.title ? notice.title : CONFIG.push.title;
  return {
    title: title,
    options: {
      body: typeof notice.body === "string" ? notice.body : "",
      icon: CONFIG.push.icon,
      badge: CONFIG.push.badge,
      dir: "rtl",
      lang: "fa",
      data: { url: typeof notice.url === "string" ? notice.url : "/" }
    }
  };
}

// Only an address on this site is opened: a payload cannot send the person elsewhere.
function sameOrigin(url) {
  try {
    var target = new URL(url || "/", self.location.origin);
    return target.origin === self.location.origin ? target.href : self.location.origin + "/";
  } catch (error) { return self.location.origin + "/"; }
}

self.addEventListener("push", function (event) {
  var data = null;
  try { data = event.data ? event.data.json() : null; } catch (error) { data = null; }
  var notice = pushNotice(data);
  event.waitUntil(self.registration.showNotification(notice.title, notice.options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = sameOrigin(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (open) {
      for (var i = 0; i < open.length; i += 1) {
        if (open[i].url === url && "focus" in open[i]) { return open[i].focus(); }
      }
      return self.clients.openWindow ? self.clients.openWindow(url) : null;
    })
  );
});

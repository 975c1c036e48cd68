"""Phones first (issue 21, point 4), in the real browser at 360 px: every public page linked from
home weighs under 300 KB transferred on a first visit and under 50 KB on a return visit (the
browser's cache and the service worker warm), and a Lighthouse-style audit prints its scores per
page. Lighthouse itself is a Node tool that is not part of this repository; the same three
categories are computed here: performance from the page's own PerformanceObserver entries (FCP,
LCP, CLS, total blocking time) on Lighthouse's mobile scoring curves, accessibility from axe-core
(WCAG 2.1 A/AA: passed rules over checked rules), best practices from a fixed list of checks.

Lighthouse itself runs too when ``TABYIN_LIGHTHOUSE`` names its command (it is not a dependency:
``npm install --prefix /tmp/lh lighthouse@12`` then ``TABYIN_LIGHTHOUSE=/tmp/lh/node_modules/.bin/
lighthouse``; it runs offline against the live server with Debian's Chromium): its three scores
are printed beside ours for each page, never asserted.

Only the weights and "no violation" are asserted; timings are printed, never asserted (they are
this machine's load, not the page's quality). Bytes are counted by a local TCP relay in front of
the live server: everything the server sent, headers included, whether the page or the service
worker asked for it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import re
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page
from pytest_django.live_server_helper import LiveServer

from tabyin.reception.meetings import demo as meetings_demo
from tabyin.reception.meetings.models import Meeting
from tests.browser import axe
from tests.browser.conftest import CHROMIUM, _page
from tests.browser.test_accessibility import _linked_from_home, _site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_VISIT_MAX = 300 * 1024
RETURN_VISIT_MAX = 50 * 1024
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "locale": "fa-IR",
}
# Over budget today, and why: the set of pages over a limit must be exactly these (a new heavy page
# fails; a fixed one must leave this list). None since HTML, JSON and SVG go out gzipped (ADR 0041:
# the indicator page's return visit was 88.6 KB, its HTML sent uncompressed with a 44 KB inline map).
KNOWN_OVER: dict[str, str] = {}
# Lighthouse 10+ mobile scoring: (p10, median) of each metric's log-normal curve, and its weight
# (Speed Index is left out: it needs a filmstrip; the other weights are scaled to sum to 1).
CURVES = {
    "fcp": (1800.0, 3000.0, 10),
    "lcp": (2500.0, 4000.0, 25),
    "tbt": (200.0, 600.0, 30),
    "cls": (0.1, 0.25, 25),
}


class Relay:
    """A TCP relay 127.0.0.1:<port> → the live server that counts the bytes sent back."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.sent = 0
        self._lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> int:
        with self._lock:
            found, self.sent = self.sent, 0
        return found

    def _accept(self) -> None:
        while True:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, count: bool) -> None:
        try:
            while data := source.recv(65536):
                if count:
                    with self._lock:
                        self.sent += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def relay(live_server: LiveServer) -> Iterator[Relay]:
    host, port = live_server.url.removeprefix("http://").split(":")
    found = Relay((host, int(port)))
    yield found
    found.close()


def _settled(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    # The worker's install (it keeps the shell) runs after load; wait until it is done.
    page.evaluate("() => navigator.serviceWorker ? navigator.serviceWorker.ready.then(() => true) : true")
    page.wait_for_load_state("networkidle")


METRICS = """() => new Promise(done => {
  const seen = {lcp: 0, cls: 0, tbt: 0};
  const take = (type, f) => { try { new PerformanceObserver(l => l.getEntries().forEach(f))
    .observe({type, buffered: true}); } catch (e) {} };
  take('largest-contentful-paint', e => { seen.lcp = Math.max(seen.lcp, e.startTime); });
  take('layout-shift', e => { if (!e.hadRecentInput) seen.cls += e.value; });
  take('longtask', e => { seen.tbt += Math.max(0, e.duration - 50); });
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  setTimeout(() => done({fcp: paint ? paint.startTime : 0, ...seen}), 300);
})"""

BEST_PRACTICES = """() => {
  const meta = n => document.querySelector(`meta[name="${n}"]`);
  const images = [...document.images].filter(i => i.complete && i.naturalWidth && i.width && i.height);
  return {
    "doctype is html": !!document.doctype && document.doctype.name === 'html',
    "charset declared": (document.characterSet || '').toLowerCase() === 'utf-8'
      && !!document.querySelector('meta[charset]'),
    "viewport fits the phone": !!meta('viewport') && /width=device-width/.test(meta('viewport').content),
    "page language set": !!document.documentElement.lang,
    "images keep their aspect ratio": images.every(
      i => Math.abs(i.naturalWidth / i.naturalHeight - i.width / i.height) < 0.05),
    "no wider than the phone": document.documentElement.scrollWidth <= innerWidth,
    "no inline event handlers": !document.querySelector('[onclick],[onload],[onerror]'),
    "manifest linked": !!document.querySelector('link[rel=manifest]'),
    "theme colour set": !!meta('theme-color'),
  };
}"""


def _keep_error(message: ConsoleMessage, errors: list[str]) -> None:
    if message.type == "error":
        errors.append(message.text)


def _score(metric: str, value: float) -> float:
    p10, median, _weight = CURVES[metric]
    if value <= 0:
        return 1.0
    sigma = (math.log(median) - math.log(p10)) / 1.2815515655446004
    return 0.5 * math.erfc((math.log(value) - math.log(median)) / (sigma * math.sqrt(2)))


def performance(metrics: dict[str, float]) -> int:
    total = sum(w for _p, _m, w in CURVES.values())
    return round(100 * sum(_score(k, metrics[k]) * w for k, (_p, _m, w) in CURVES.items()) / total)


def accessibility(page: Page) -> tuple[int, list[str]]:
    axe.inject(page)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        list(axe.WCAG_TAGS),
    )
    passed, failed = len(result["passes"]), [v["id"] for v in result["violations"]]
    return round(100 * passed / max(passed + len(failed), 1)), failed


def _audit(page: Page, url: str, errors: list[str], csp: bool) -> dict[str, Any]:
    metrics = page.evaluate(METRICS)
    a11y, violations = accessibility(page)
    checks = dict(page.evaluate(BEST_PRACTICES))
    checks["no errors in the console"] = not errors
    checks["content security policy sent"] = csp
    failed = [name for name, ok in checks.items() if not ok]
    return {
        "url": url,
        "performance": performance(metrics),
        "accessibility": a11y,
        "best_practices": round(100 * (len(checks) - len(failed)) / len(checks)),
        "metrics": metrics,
        "violations": violations,
        "failed_checks": failed,
    }


def lighthouse(url: str) -> str:
    """Lighthouse's own scores for one page ("" when ``TABYIN_LIGHTHOUSE`` is not set)."""
    command = os.environ.get("TABYIN_LIGHTHOUSE", "")
    if not command:
        return ""
    flags = (
        "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
    )
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "report.json"
        subprocess.run(
            [command, url, "--quiet", "--output=json", f"--output-path={out}", "--form-factor=mobile",
             "--only-categories=performance,accessibility,best-practices", f"--chrome-flags={flags}"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, timeout=180, check=False,
        )  # fmt: skip
        if not out.exists():
            return "lighthouse: no report"
        found = json.loads(out.read_text())["categories"]
    scores = (
        round(100 * (found[k]["score"] or 0)) for k in ("performance", "accessibility", "best-practices")
    )
    return "lighthouse {} {} {}".format(*scores)


# Lighthouse takes ~20 s a page; without it the test takes about two minutes.
@pytest.mark.timeout(1800 if os.environ.get("TABYIN_LIGHTHOUSE") else 300)
def test_every_public_page_is_light_on_a_phone_and_passes_the_audit(
    live_server: LiveServer, browser: Browser, relay: Relay
) -> None:
    _site()
    base = relay.url
    finder = _page(browser, **PHONE)  # a plain page for finding the links: no worker, nothing counted
    pages = _linked_from_home(next(finder), base, "/")
    next(finder, None)
    assert len(pages) >= 20, pages
    weights: dict[str, tuple[int, int]] = {}
    audits = []
    for url in pages:
        context = browser.new_context(service_workers="allow", **PHONE)  # type: ignore[arg-type]
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("console", functools.partial(_keep_error, errors=errors))
            relay.reset()
            response = page.goto(base + url)
            assert response is not None and response.status == 200, url
            csp = "content-security-policy" in response.headers
            _settled(page)
            first = relay.reset()
            audits.append(_audit(page, url, errors, csp))
            page.goto("about:blank")
            relay.reset()
            page.goto(base + url)
            _settled(page)
            weights[url] = (first, relay.reset())
        finally:
            context.close()

    print("\npage weight (bytes transferred: first visit, return visit) and audit scores at 360 px")
    print(f"{'page':44} {'first':>8} {'return':>7} {'perf':>5} {'a11y':>5} {'best':>5}  FCP/LCP ms, CLS")
    for audit in audits:
        first, again = weights[audit["url"]]
        m = audit["metrics"]
        print(
            f"{audit['url'][:44]:44} {first:8d} {again:7d} {audit['performance']:5d}"
            f" {audit['accessibility']:5d} {audit['best_practices']:5d}"
            f"  {m['fcp']:.0f}/{m['lcp']:.0f}, {m['cls']:.3f}  {lighthouse(live_server.url + audit['url'])}"
        )
    heavy = {url: w for url, w in weights.items() if w[0] >= FIRST_VISIT_MAX or w[1] >= RETURN_VISIT_MAX}
    assert set(heavy) == set(KNOWN_OVER), heavy
    assert {a["url"]: a["violations"] for a in audits if a["violations"]} == {}
    assert {a["url"]: a["failed_checks"] for a in audits if a["failed_checks"]} == {}


INPUTS = """() => [...document.querySelectorAll('main input, main textarea')]
  .filter(e => !['hidden', 'radio', 'checkbox', 'submit', 'file'].includes(e.type))
  .map(e => ({name: e.name, type: e.type, inputmode: e.inputMode, autocomplete: e.autocomplete,
              label: (e.labels && e.labels[0] ? e.labels[0].innerText : '').trim().slice(0, 40)}))"""
CODE = re.compile(r"(^|_)(code|receipt|otp)$")


def _phone_only(field: dict[str, str]) -> bool:
    """A field for a phone number and nothing else (not "a mobile number or an e-mail address")."""
    label = field["label"].lower()
    return field["autocomplete"] == "tel" and not any(word in label for word in ("mail", "ایمیل", "رایانامه"))


def test_codes_get_a_numeric_keyboard_and_no_field_refuses_persian_digits(
    live_server: LiveServer, browser: Browser
) -> None:
    """Every public form's fields: a code (receipt, confirmation, one-time) opens the numeric keyboard;
    no field is ``type=number`` (Chromium's number field takes no Persian digits); a field for a
    phone number alone asks for the phone keyboard. A field for "a mobile number or an e-mail
    address" cannot (the phone keypad has no @): printed, not asserted."""
    _site()
    meetings_demo.load()  # _site() made hq.analyst, who organizes them
    meeting = Meeting.objects.filter(state="open").first()
    forms = ["/reports/follow-up/", "/reports/new/?category=bribery", "/clarifications/ask/"]
    if meeting is not None:
        forms.append(f"/meetings/{meeting.pk}/")
    finder = _page(browser, **PHONE)
    page = next(finder)
    wrong: list[str] = []
    print("\npublic form fields: name, type, inputmode, autocomplete")
    for url in forms:
        page.page.goto(live_server.url + url)
        for field in page.page.evaluate(INPUTS):
            keyboard = field["inputmode"] or "-"
            line = f"{url} {field['name']}: {field['type']}, {keyboard}, {field['autocomplete']}"
            print(" ", line, f"«{field['label']}»")
            code = CODE.search(field["name"]) and field["inputmode"] != "numeric"
            phone = (
                _phone_only(field) and field["type"] != "tel" and field["inputmode"] not in ("tel", "numeric")
            )
            if field["type"] == "number" or code or phone:
                wrong.append(line)
    next(finder, None)
    assert wrong == []

"""Reading a page as a Persian reader would: the rules, the allow-list and the crawler.

The rules are plain functions (``text_findings``) so tests/core can check that they catch what they
must; ``crawl`` drives one signed-in (or anonymous) browser context breadth-first over the site.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

LATIN_DIGIT = re.compile(r"[0-9]")
LATIN_LETTER = re.compile(r"[A-Za-z]")
# Punctuation a word may carry at either end (Persian and Latin quotes, brackets, separators).
EDGES = "\"'«»()[]{}<>،؛:;,.!?؟…—–-−+*/·•|%٪"


@dataclass(frozen=True)
class Allow:
    """A pattern (a whole word, or a page's path) and why Latin, or a dead link, is right there."""

    pattern: re.Pattern[str]
    reason: str

    def __call__(self, text: str) -> bool:
        return self.pattern.fullmatch(text) is not None


def _allow(pattern: str, reason: str) -> Allow:
    return Allow(re.compile(pattern), reason)


# Where Latin is right on a Persian page. A word is what lies between spaces, with EDGES stripped
# from both ends.
ALLOWED: tuple[Allow, ...] = (
    _allow(r"https?://\S+", "a web address is typed and copied as it is"),
    _allow(r"(?:[a-z0-9-]+\.)+(?:ir|com|org|net|example|local|test)(?:/\S*)?", "a domain name"),
    _allow(r"/[A-Za-z0-9_./?=&%-]*", "a site path shown so a person can type or share it"),
    _allow(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", "an e-mail address"),
    _allow(r"Tabyin", "the product name where the software itself is credited"),
    _allow(
        r"PDF|CSV|JSON|XLSX|Excel|ODS|API|SVG|PNG|JPEG|JPG|TOTP|RSS|Atom|HTML|HTTP|IP|ZIP|XML|A4"
        r"|QR|ASCII|ISO|OpenAPI|Frictionless|NumPy|Python|YYYY-MM(?:-DD)?",
        "a file format, protocol, standard, paper size or program: written in Latin in Persian"
        " technical writing, as on the device and in the program that opens the file",
    ),
    _allow(
        r"[۰-۹]{4}-(?:H[12]|Q[1-4])",
        "a scorecard period code as typed (a half H1/H2, a quarter Q1–Q4): the letter is part of"
        " the code, the digits are Persian (the form takes either)",
    ),
    _allow(
        r"@[A-Za-z0-9_.]+|t\.me/[A-Za-z0-9_]+|(?:telegram|eitaa|bale|rubika|rss|web|paste|tipline):[\w.-]+",
        "a channel's handle or address (a quoted post's sign-off, a source's key): typed to find it",
    ),
    _allow(
        r"[\w\u0600-\u06FF.-]+\.(?:pdf|jpe?g|png|docx?|xlsx?|ods|odt|csv|zip|txt)",
        "an uploaded file's own name, as the person who uploaded it named it",
    ),
    _allow(
        r"[SM]\d{2}",
        "a scorecard item's code (S01…S60, M01…M16): the framework document's own reference, cited"
        " by officers and evaluators",
    ),
)

# Whole pages whose words are another piece of work's. Their status and overflow are still checked.
PAGES_ALLOWED: tuple[Allow, ...] = ()

# Links shown to a persona who may not follow them (403).
STATUS_ALLOWED: tuple[Allow, ...] = ()

# Text of these elements is not read: code people type or copy (code, kbd, samp, pre, var for a
# formula's variables), form controls (the form renderer's own checks), text marked as another
# language (lang="en": the language switch, a bilingual record's other name, a licence's title)
# and names that are not words (translate="no": a channel's handle, a user name where the exact
# account matters, as in a key grant).
HIDDEN_FROM_READING = (
    "code, kbd, samp, pre, var, math, script, style, noscript, textarea, select, input, option,"
    " [lang]:not([lang|=fa]), [translate=no]"
)

READ_JS = """
(hidden) => {
  const scroll = document.scrollingElement;
  const overflow = [scroll.scrollWidth, scroll.clientWidth];
  // Hidden through the CSSOM: the site's Content-Security-Policy refuses an added <style>.
  const skipped = Array.from(document.querySelectorAll(hidden));
  const before = skipped.map(el => el.style.getPropertyValue('display'));
  skipped.forEach(el => el.style.setProperty('display', 'none', 'important'));
  const text = document.body.innerText;
  skipped.forEach((el, i) => el.style.setProperty('display', before[i]));
  const links = Array.from(document.querySelectorAll('a[href]'))
    .filter(a => !a.hasAttribute('download'))
    .map(a => a.href);
  return {overflow, text, links, lang: document.documentElement.lang};
}
"""


@dataclass(frozen=True)
class Finding:
    url: str
    kind: str  # "latin-digit", "latin-word", "server-error", "status", "overflow"
    snippet: str

    def __str__(self) -> str:
        return f"{self.url}  [{self.kind}]  {self.snippet}"


def allowed(word: str) -> bool:
    if any(rule(word) for rule in ALLOWED):
        return True
    # "RSS/Atom", "CSV/JSON": allowed names joined by a slash.
    parts = [part for part in word.split("/") if part]
    return len(parts) > 1 and all(allowed(part) for part in parts)


def _snippet(line: str, word: str) -> str:
    at = line.find(word)
    start, end = max(0, at - 30), min(len(line), at + len(word) + 30)
    return ("…" if start else "") + line[start:end].strip() + ("…" if end < len(line) else "")


def text_findings(url: str, text: str) -> list[Finding]:
    """Every Latin digit or Latin word of the visible text that is not allow-listed, one finding
    per distinct (word, kind) so a page's table of a hundred rows reads as one problem."""
    found: dict[tuple[str, str], Finding] = {}
    for line in text.splitlines():
        for raw in line.split():
            word = raw.strip(EDGES)
            # A path keeps its slashes ("/api/v1/"): checked with them before they are stripped.
            if not word or allowed(word) or allowed(raw.strip(EDGES.replace("/", ""))):
                continue
            if LATIN_LETTER.search(word):
                kind = "latin-word"
            elif LATIN_DIGIT.search(word):
                kind = "latin-digit"
            else:
                continue
            found.setdefault((word, kind), Finding(url, kind, _snippet(line, raw)))
    return list(found.values())


def shape(path: str) -> str:
    """A path's kind of page: numbers, hexadecimal ids and period codes replaced, so each kind
    is read once (the fiftieth story reads like the first)."""
    path = re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27}(?=/|$)", "/<uuid>", path)
    path = re.sub(r"/[0-9a-f]{16,}(?=/|$)", "/<hex>", path)
    path = re.sub(r"/\d{4}-[A-Za-z0-9]+(?=/|$)", "/<period>", path)
    path = re.sub(r"/IR-\d+(?=/|$)", "/<province>", path)
    path = re.sub(r"/\d{4}-\d{2}-\d{2}(?=/|$)", "/<date>", path)
    # One of many siblings: an indicator, a theme, a dataset, a province, a poster, a category.
    return re.sub(
        r"^(/(?:indicators|themes|data|provinces|reports/posters|staff/reports/config/categories))/[^/]+/",
        r"\1/<slug>/",
        re.sub(r"/\d+(?=/|$)", "/<n>", path),
    )


# Never followed: leaving, machine interfaces (ASCII by design), the English pages, downloads.
SKIP = re.compile(
    r"^/(?:en/|api/|static/|media/|healthz|robots\.txt|sitemap|favicon|manifest)"
    r"|/logout/|/log-out/"
    r"|\.(?:csv|xlsx|ods|pdf|json|jsonld|ttl|zip|svg|png|jpe?g|xml|txt|geojson|ics|rss)$"
    r"|/(?:download|export|exports?|raw|file|files|evidence|attachments?)/",
)


@dataclass
class Crawl:
    base: str
    max_pages: int
    only: str = "/"  # paths that must start with this (the staff crawl stays under /staff/)
    skip: tuple[str, ...] = ()
    visited: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def _wanted(self, url: str) -> str | None:
        url = urldefrag(url)[0]
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.base:
            return None
        path = parts.path
        if SKIP.search(path) or not path.startswith(self.only) or any(path.startswith(s) for s in self.skip):
            return None
        return path

    def run(self, context: BrowserContext, starts: list[str]) -> None:
        page = context.new_page()
        page.on("download", lambda download: download.cancel())
        queue: deque[str] = deque(starts)
        seen_shapes: set[str] = set()
        seen: set[str] = set()
        for start in starts:
            seen_shapes.add(shape(start))
            seen.add(start)
        while queue and len(self.visited) < self.max_pages:
            path = queue.popleft()
            for link in self._read(page, path):
                target = self._wanted(link)
                if target is None or target in seen or shape(target) in seen_shapes:
                    continue
                seen.add(target)
                seen_shapes.add(shape(target))
                queue.append(target)
        page.close()

    def _read(self, page: Page, path: str) -> list[str]:
        url = self.base + path
        try:
            response = page.goto(url, wait_until="load")
        except PlaywrightError as error:  # a download or an aborted navigation
            if "Download is starting" not in str(error):
                self.findings.append(Finding(path, "status", f"navigation failed: {error}"))
            return []
        self.visited.append(path)
        status = response.status if response is not None else 0
        if status >= 500:
            self.findings.append(Finding(path, "server-error", f"HTTP {status}"))
            return []
        if status >= 400:
            if not any(rule(path) for rule in STATUS_ALLOWED):
                self.findings.append(Finding(path, "status", f"HTTP {status} for a linked page"))
            return []
        if response is not None and "text/html" not in (response.headers.get("content-type") or ""):
            return []
        return self._check(page, path)

    def read_here(self, page: Page) -> None:
        """Read the page the browser is on: one reached through a form (a receipt code typed)."""
        path = urlsplit(page.url).path
        self.visited.append(path)
        self._check(page, path)

    def _check(self, page: Page, path: str) -> list[str]:
        read = page.evaluate(READ_JS, HIDDEN_FROM_READING)
        if read["lang"] != "fa":
            return []
        width, client = read["overflow"]
        if width > client:
            self.findings.append(Finding(path, "overflow", f"scrollWidth {width} > clientWidth {client}"))
        if not any(rule(path) for rule in PAGES_ALLOWED):
            self.findings.extend(text_findings(path, read["text"]))
        return list(read["links"])

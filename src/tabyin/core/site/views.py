"""Site-wide files crawlers, browsers and messengers ask for at fixed addresses: robots.txt,
sitemap.xml, /favicon.ico and /apple-touch-icon.png (the web app manifest and the service worker
are in site/views_pwa.py).

The icons are committed files under ``static/tabyin/icons/`` (drawn from ``icon.svg`` by
``scripts/make-icons``); nothing is fetched from another host.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from tabyin.core.site import sitemaps

ICON_DIR = "tabyin/icons"
DAY = 24 * 3600
THEME_COLOR = "#0b4f8a"  # --brand in shell.css

# Paths no crawler needs: staff pages (in both languages), machine interfaces, one person's
# follow-up and receipt pages, form endpoints and unbounded search-result combinations.
DISALLOWED = (
    "/staff/",
    "/en/staff/",
    "/api/",
    "/healthz",
    "/reports/receipt/",
    "/en/reports/receipt/",
    "/reports/follow-up/case/",
    "/en/reports/follow-up/case/",
    "/clarifications/ask/thanks/",
    "/en/clarifications/ask/thanks/",
    "/feedback/",
    "/en/feedback/",
    "/search/",
    "/en/search/",
)


@require_safe
@cache_control(max_age=DAY, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=3600, public=True)
def sitemap(request: HttpRequest) -> HttpResponse:
    """Every public page in both languages with ``hreflang`` alternates (``lastmod`` from the data)."""
    return django_sitemap(request, sitemaps=sitemaps.sections())


@cache
def _icon_bytes(name: str) -> bytes:
    found = finders.find(f"{ICON_DIR}/{name}")
    if not found:
        raise Http404
    return Path(str(found)).read_bytes()


def _icon(name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(_icon_bytes(name), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={7 * DAY}"
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    return _icon("favicon.ico", "image/x-icon")


@require_safe
def apple_touch_icon(request: HttpRequest) -> HttpResponse:
    """iOS asks for this address whatever the page links to."""
    return _icon("apple-touch-icon.png", "image/png")

"""The installable web app: its manifest, its service worker at ``/sw.js`` and the offline page.

The service worker's code is ``core/pwa/service-worker.js``; this module puts the configuration
above it (the shell's hashed static addresses, the paths never stored, the offline pages and the
notice's wording), so the worker changes whenever the assets or the rules change.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

ICON_DIR = "tabyin/icons"
DAY = 24 * 3600
THEME_COLOR = "#0b4f8a"  # --brand in shell.css
# The sizes Android, Windows, iOS and desktop browsers ask a manifest for (scripts/make-icons
# draws the same list).
ICON_SIZES = (48, 72, 96, 128, 144, 152, 192, 256, 384, 512)
MASKABLE_SIZES = (192, 512)
WORKER_SOURCE = Path(__file__).resolve().parents[1] / "pwa" / "service-worker.js"

# Never kept on a device, in either language: staff pages (a shared phone must not show them to
# the next person), machine interfaces, and one reporter's receipt and follow-up. The worker also
# refuses any response marked no-store or private, whatever its path.
NEVER_STORED = (
    "/staff/",
    "/en/staff/",
    "/api/",
    "/healthz",
    "/sw.js",
    "/reports/receipt/",
    "/en/reports/receipt/",
    "/reports/follow-up/",
    "/en/reports/follow-up/",
    "/clarifications/ask/thanks/",
    "/en/clarifications/ask/thanks/",
)
SHELL_ASSETS = (
    "tabyin/css/shell.css",
    "tabyin/fonts/Vazirmatn-Regular.woff2",
    "tabyin/fonts/Vazirmatn-Bold.woff2",
    "tabyin/js/pwa.js",
    "tabyin/icons/icon.svg",
    "tabyin/icons/icon-192.png",
)


@require_safe
@cache_control(max_age=DAY, public=True)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest in the page's language (Persian at /, English under /en/)."""
    language = get_language() or settings.LANGUAGE_CODE
    icons: list[dict[str, str]] = [
        {"src": static(f"{ICON_DIR}/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in ICON_SIZES
    ]
    icons += [
        {
            "src": static(f"{ICON_DIR}/icon-maskable-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in MASKABLE_SIZES
    ]
    icons.append({"src": static(f"{ICON_DIR}/icon.svg"), "sizes": "any", "type": "image/svg+xml"})
    home = reverse("core:home")
    body = {
        "id": home,
        "name": settings.TABYIN_SITE_NAME,
        "short_name": settings.TABYIN_SITE_NAME,
        "description": _(
            "What the organization does and what it costs, in figures by month and province, with "
            "strengths and weaknesses told side by side."
        ),
        "lang": language,
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "categories": ["government", "news"],
        "icons": icons,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1),
        content_type="application/manifest+json; charset=utf-8",
    )


def _offline_url(language: str) -> str:
    with translation.override(language):
        return reverse("core:offline")


def _notice(language: str) -> str:
    with translation.override(language):
        return _("You are offline. This page was saved on this device on {when}; it may have changed since.")


@cache
def _worker_source() -> str:
    return WORKER_SOURCE.read_text(encoding="utf-8")


def worker_config() -> dict[str, object]:
    config: dict[str, object] = {
        "shell": [static(name) for name in SHELL_ASSETS] + [_offline_url("fa"), _offline_url("en")],
        "neverStore": list(NEVER_STORED),
        "staticUrl": settings.STATIC_URL,
        "offline": {"fa": _offline_url("fa"), "en": _offline_url("en")},
        "notice": {"fa": _notice("fa"), "en": _notice("en")},
        # A push notice: the manifest's 192 px icon, and the site's name when a payload has no title.
        "push": {
            "icon": static(f"{ICON_DIR}/icon-192.png"),
            "badge": static(f"{ICON_DIR}/icon-96.png"),
            "title": settings.TABYIN_SITE_NAME,
        },
    }
    # A new version whenever the assets (hashed names), the rules or the worker's code change: the
    # browser then installs the new worker and drops the old shell.
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode() + _worker_source().encode())
    config["version"] = digest.hexdigest()[:12]
    return config


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: at the root so that its scope is the whole public site in both languages."""
    config = json.dumps(worker_config(), ensure_ascii=False)
    response = HttpResponse(
        f"var CONFIG = {config};\n{_worker_source()}", content_type="application/javascript; charset=utf-8"
    )
    # Browsers check for a new worker at most daily anyway; no-cache makes each check see it.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
@cache_control(max_age=DAY, public=True)
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page never read on this device while offline."""
    return render(request, "core/offline.html")

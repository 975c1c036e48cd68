"""The daily briefs' staff pages: the list, one brief as it was sent (HTML), its PDF, and "build
today's brief now". Thin: selectors and services check who may read or build
(``PermissionDenied`` is the 403 page).
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.csp import CSP  # type: ignore[import-untyped,unused-ignore]
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import staff_user
from tabyin.monitor.briefs import selectors as selectors_briefs
from tabyin.monitor.briefs import services as services_brief
from tabyin.monitor.models import Brief

_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def _brief_or_404(request: HttpRequest, day: date) -> Brief:
    brief = selectors_briefs.brief_get(user=staff_user(request), day=day)
    if brief is None:
        raise Http404
    return brief


@staff_required
@never_cache
def brief_list(request: HttpRequest) -> HttpResponse:
    briefs = selectors_briefs.brief_list(user=staff_user(request))
    return render(
        request,
        "monitor/staff/briefs.html",
        {
            "briefs": briefs,
            "can_build": services_brief.can_build(staff_user(request)),
            "brief_time": f"{settings.TABYIN_MONITOR_BRIEF_HOUR:02d}:00",
        },
    )


def _brief_policy(html: str) -> dict[str, object]:
    """The site's policy, plus the brief's own stylesheet (by hash: it is inline, as e-mail needs)
    and its fonts, which it names by the site's public address."""
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
        for m in _STYLE.findall(html)
    ]
    site = urlsplit(settings.TABYIN_SITE_URL)
    origin = [f"{site.scheme}://{site.netloc}"] if site.netloc else []
    policy = dict(settings.SECURE_CSP)
    policy["script-src"] = [CSP.NONE]  # the brief has no script
    policy["style-src"] = [CSP.SELF, *hashes]
    policy["font-src"] = [CSP.SELF, *origin]
    return policy


@staff_required
@never_cache
def brief_page(request: HttpRequest, day: date) -> HttpResponse:
    brief = _brief_or_404(request, day)
    html = selectors_briefs.web_html(brief.html)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response._csp_config = _brief_policy(html)  # type: ignore[attr-defined]
    return response


@staff_required
@never_cache
def brief_pdf(request: HttpRequest, day: date) -> HttpResponse:
    brief = _brief_or_404(request, day)
    response = HttpResponse(bytes(brief.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{services_brief.pdf_filename(brief.day)}"'
    return response


@staff_required
@require_POST
def brief_build(request: HttpRequest) -> HttpResponse:
    brief = services_brief.brief_build_now(user=staff_user(request))
    messages.success(request, _("Today's brief was built (nothing was e-mailed)."))
    return redirect("monitor:brief", day=brief.day)

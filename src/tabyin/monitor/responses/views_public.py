"""The public pages of answers: the clarifications list, one clarification, and the tipline form.

They work without JavaScript; the tipline form is a plain POST with a CSRF token that comes back
with its errors, and a thank-you page after a redirect (so reloading does not send twice).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tabyin.core.http import add_service_errors
from tabyin.core.notify import web_public
from tabyin.monitor.responses import selectors as selectors_responses
from tabyin.monitor.responses import services_tips, tip_tokens
from tabyin.monitor.responses.forms_public import TipForm

PER_PAGE = 20
TOO_MANY = gettext_lazy("You have sent many items in the last hour. Please try again later.")
# The status token of the last tip this browser sent, kept in a cookie only this site reads (not
# in the address, where it would reach logs and history): the web sender follows their tip with it
# as the app does with the same token (tips/status). Its life is an answer's usual wait and more.
TIP_COOKIE = "tabyin_tip"
TIP_COOKIE_AGE = 90 * 24 * 3600
BUSY = gettext_lazy("The tipline has received very many items in the last hour. Please try again later.")


def clarifications(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors_responses.clarifications_public(), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "monitor/public/clarifications.html", {"clarifications": page})


def clarification(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors_responses.clarification_public(pk)
    if found is None:
        raise Http404
    return render(request, "monitor/public/clarification.html", {"response": found})


@require_http_methods(["GET", "POST"])
def tipline(request: HttpRequest) -> HttpResponse:
    form = TipForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            if not request.session.session_key:
                request.session.save()
            try:
                tip = services_tips.tip_submit(
                    text=form.cleaned_data["text"],
                    link=form.cleaned_data["link"],
                    contact=form.cleaned_data["contact"],
                    session_key=request.session.session_key or "",
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except services_tips.TooManyTipsError as error:
                form.add_error(None, BUSY if error.site_wide else TOO_MANY)
                status = 429
            else:
                response = redirect("monitor:tipline-thanks")
                response.set_cookie(
                    TIP_COOKIE, tip_tokens.token_for(tip), max_age=TIP_COOKIE_AGE, httponly=True,
                    secure=settings.SESSION_COOKIE_SECURE, samesite="Lax",
                )  # fmt: skip
                return response
    return render(request, "monitor/public/tipline.html", {"form": form}, status=status)


def tipline_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "monitor/public/tipline_thanks.html", {"follow": TIP_COOKIE in request.COOKIES})


def tipline_follow(request: HttpRequest) -> HttpResponse:
    """The state of the last item sent from this browser and the notices about it (ADR 0040)."""
    tip_id = tip_tokens.tip_id_of(request.COOKIES.get(TIP_COOKIE, ""))
    state = tip_tokens.tip_state_of(tip_id) if tip_id is not None else None
    context: dict[str, Any] = {"state": state}
    if state is not None:
        context |= web_public.page_notices(app="monitor", ref=f"tip-{tip_id}")
    response = render(request, "monitor/public/tipline_follow.html", context)
    response["Cache-Control"] = "no-store"  # one person's page: never kept by a browser or a proxy
    response["X-Robots-Tag"] = "noindex"
    return response

"""The public pages of answers: the clarifications list, one clarification, and the tipline form.

They work without JavaScript; the tipline form is a plain POST with a CSRF token that comes back
with its errors, and a thank-you page after a redirect (so reloading does not send twice).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tabyin.core.http import add_service_errors
from tabyin.monitor.responses import selectors as selectors_responses
from tabyin.monitor.responses import services_tips
from tabyin.monitor.responses.forms_public import TipForm

PER_PAGE = 20
TOO_MANY = gettext_lazy("You have sent many items in the last hour. Please try again later.")
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
                services_tips.tip_submit(
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
                return redirect("monitor:tipline-thanks")
    return render(request, "monitor/public/tipline.html", {"form": form}, status=status)


def tipline_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "monitor/public/tipline_thanks.html")

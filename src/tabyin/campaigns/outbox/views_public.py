"""Public pages of the outbox: a message's news page, our short links, and the newsletter's
subscribe, confirm and unsubscribe pages (no account, no JavaScript)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tabyin.campaigns.outbox import selectors, services, services_newsletter
from tabyin.campaigns.outbox.forms import SubscribeForm


def news(request: HttpRequest, slug: str) -> HttpResponse:
    message = selectors.public_message(slug=slug)
    if message is None:
        raise Http404
    return render(
        request, "campaigns/news.html", {"message": message, "news_url": selectors.news_url(message)}
    )


@never_cache
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    target = services.short_link_follow(code=code, head=request.method == "HEAD")
    if target is None:
        raise Http404
    return HttpResponseRedirect(target)


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services_newsletter.subscribe(address=form.cleaned_data["email"])
        return render(request, "campaigns/newsletter.html", {"step": "asked"})
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/newsletter.html", {"step": "form", "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        if not services_newsletter.confirm(token=token):
            raise Http404
        return render(request, "campaigns/newsletter.html", {"step": "confirmed"})
    return render(request, "campaigns/newsletter.html", {"step": "confirm"})


# One-click unsubscribe (RFC 8058): a mail client POSTs ``List-Unsubscribe=One-Click`` with no
# cookie and no CSRF token; the unguessable token in the address is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        if not services_newsletter.unsubscribe(token=token):
            raise Http404
        return render(request, "campaigns/newsletter.html", {"step": "unsubscribed"})
    return render(request, "campaigns/newsletter.html", {"step": "unsubscribe"})

"""Staff pages of the outbox: write a message once with its previews, and approve it. Thin: the
services and selectors decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.campaigns import permissions
from tabyin.campaigns.outbox import selectors, services
from tabyin.campaigns.outbox.forms import MessageForm
from tabyin.campaigns.outbox.models import Message
from tabyin.campaigns.plan.selectors import campaigns_for
from tabyin.core.decorators import staff_required
from tabyin.core.http import add_service_errors, staff_user
from tabyin.core.scoping import scope_for


@staff_required
@require_http_methods(["GET", "POST"])
def message_new(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = staff_user(request)
    permissions.require(permissions.can_manage(scope_for(user)))
    campaign = get_object_or_404(campaigns_for(user=user), pk=campaign_id)
    available = services.channels_available()
    form = MessageForm(request.POST or None, available=available)
    previews = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            draft = Message(title=data["title"], body=data["body"], channels=data["channels"], slug="preview")
            previews = selectors.previews(draft)
        else:
            try:
                message = services.message_create(
                    actor=user,
                    campaign=campaign,
                    title=data["title"],
                    body=data["body"],
                    channels=data["channels"],
                    image_url=data["image_url"],
                    send_at=data["send_at"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The message is saved; a senior manager must approve it before it is sent.")
                )
                return redirect("campaigns:message", message_id=message.pk)
    status = 400 if request.method == "POST" and form.errors else 200
    context = {"campaign": campaign, "form": form, "previews": previews}
    return render(request, "campaigns/message_new.html", context, status=status)


@staff_required
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    user = staff_user(request)
    message = get_object_or_404(
        Message.objects.select_related("campaign", "author", "approved_by").filter(
            campaign__in=campaigns_for(user=user)
        ),
        pk=message_id,
    )
    context = {
        "message": message,
        "previews": selectors.previews(message),
        "ledger": selectors.ledger(message=message),
        "may_approve": permissions.can_approve(scope_for(user)) and message.author_id != user.pk,
        "news_url": selectors.news_url(message),
    }
    return render(request, "campaigns/message.html", context)


@staff_required
@require_POST
def message_approve(request: HttpRequest, message_id: int) -> HttpResponse:
    user = staff_user(request)
    message = get_object_or_404(Message.objects.filter(campaign__in=campaigns_for(user=user)), pk=message_id)
    try:
        services.message_approve(actor=user, message=message)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal) or _("You may not approve this message."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Approved. Each channel's result appears below as it comes."))
    return redirect("campaigns:message", message_id=message.pk)

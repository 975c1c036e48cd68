"""A person's notification settings, their in-app inbox and the ledger of what reached them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import staff_user
from tabyin.core.models import InboxItem, NotifyDelivery
from tabyin.core.notify import services as services_notify
from tabyin.core.notify.forms import NotifyPreferenceForm

SHOWN = 50


@staff_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    preference = services_notify.preference_of(user)
    form = NotifyPreferenceForm(
        request.POST or None, instance=preference, bot_available=services_notify.bot_available()
    )
    if request.method == "POST" and form.is_valid():
        services_notify.preference_save(actor=user, preference=form.save(commit=False))
        messages.success(request, _("Your notification settings are saved."))
        return redirect("core:notifications")
    return render(
        request,
        "core/staff/notifications.html",
        {
            "form": form,
            "inbox": InboxItem.objects.filter(user=user)[:SHOWN],
            "unread": InboxItem.objects.filter(user=user, read_at=None).count(),
            "ledger": NotifyDelivery.objects.filter(item__user=user).select_related("item")[:SHOWN],
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    services_notify.inbox_mark_read(actor=staff_user(request))
    return redirect("core:notifications")

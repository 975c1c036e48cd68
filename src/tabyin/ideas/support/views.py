"""The public "I support this idea" button: after proving a contact, one support per person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tabyin.core.http import add_service_errors
from tabyin.ideas.challenges.views import challenge_base
from tabyin.ideas.entries import selectors as entry_selectors
from tabyin.ideas.identity.views import verified
from tabyin.ideas.support import services
from tabyin.ideas.support.forms import InsuredForm


@require_http_methods(["GET", "POST"])
def support(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    context = challenge_base(request, slug)
    challenge = context["challenge"]
    entry = entry_selectors.public_entry(challenge, entry_id)
    if entry is None:
        raise Http404
    here = reverse("ideas:support", args=[slug, entry_id])
    supporter = verified(request, "support")
    if supporter is None:
        return redirect(f"{reverse('ideas:verify', args=['support'])}?next={here}")
    form = InsuredForm(request.POST or None) if challenge.insured_only else None
    context.update(entry=entry, form=form, supporter=supporter)
    if request.method != "POST":
        return render(request, "ideas/support/confirm.html", context)
    if form is not None and not form.is_valid():
        return render(request, "ideas/support/confirm.html", context, status=400)
    address = request.META.get("REMOTE_ADDR", "")
    try:
        services.support_add(
            entry=entry,
            supporter=supporter,
            source=services.source_hash(address),
            insurance_number=form.cleaned_data["insurance_number"] if form else "",
            national_code=form.cleaned_data["national_code"] if form else "",
        )
    except services.SecondSupportError:
        context["already"] = True
        return render(request, "ideas/support/confirm.html", context, status=409)
    except ValidationError as error:
        if form is None:
            context["error"] = " ".join(error.messages)
        else:
            add_service_errors(form, error)
        return render(request, "ideas/support/confirm.html", context, status=400)
    messages.success(request, _("Thank you: your support is counted."))
    return redirect("ideas:entry", slug=slug, entry_id=entry_id)

"""Staff pages of screening: challenges, a challenge's queue (with duplicate clusters and flagged
supports), one entry with the decision form, and its files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import add_service_errors, staff_user
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries import selectors as entry_selectors
from tabyin.ideas.entries.models import Entry, EntryFile
from tabyin.ideas.moderation import selectors, services
from tabyin.ideas.moderation.forms import ModerationForm
from tabyin.ideas.support import services as support_services


@staff_required
def challenges(request: HttpRequest) -> HttpResponse:
    rows = selectors.challenges_for(staff_user(request))
    return render(request, "ideas/moderation/challenges.html", {"rows": rows})


@staff_required
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    user = staff_user(request)
    challenge = get_object_or_404(Challenge, slug=slug)
    entries = selectors.queue(user, challenge)
    context = {
        "challenge": challenge,
        "entries": entries,
        "clusters": entry_selectors.duplicate_clusters(challenge),
    }
    return render(request, "ideas/moderation/queue.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = staff_user(request)
    item = selectors.entry_for(user, entry_id)
    if item is None:
        raise Http404
    form = ModerationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        touched = [name for name in services.AUTHOR_FIELDS if name in request.POST]
        if touched:
            try:
                services.refuse_text_change(actor=user, entry=item, fields=touched)
            except PermissionDenied as refusal:
                messages.error(request, str(refusal))
                return redirect("ideas:staff-entry", entry_id=item.pk)
        status = 400
        if form.is_valid():
            same = form.cleaned_data.get("duplicate_of")
            try:
                services.entry_moderate(
                    actor=user,
                    entry=item,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    duplicate_of=Entry.objects.filter(pk=same).first() if same else None,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The decision was saved and the author was told."))
                return redirect("ideas:staff-queue", slug=item.challenge.slug)
    similar = entry_selectors.similar_entries(item.challenge, f"{item.title}\n{item.body}", exclude=item.pk)
    context = {"entry": item, "form": form, "similar": similar}
    return render(request, "ideas/moderation/entry.html", context, status=status)


@staff_required
@require_POST
def clear_flags(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = staff_user(request)
    item = selectors.entry_for(user, entry_id)
    if item is None:
        raise Http404
    support_services.supports_clear(actor=user, entry=item)
    messages.success(request, _("The flagged supports now count."))
    return redirect("ideas:staff-queue", slug=item.challenge.slug)


@staff_required  # type: ignore[arg-type]  # a file answer, not an HttpResponse
def entry_file(request: HttpRequest, file_token: str) -> FileResponse:
    user = staff_user(request)
    item = get_object_or_404(EntryFile.objects.select_related("entry"), token=file_token)
    if selectors.entry_for(user, item.entry_id) is None:
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.label, content_type=item.content_type
    )

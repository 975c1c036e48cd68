"""Public pages of entries: the challenge page with its entries, sending an entry (after proving a
contact), the author's private follow-up page and their files. Thin: services decide."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tabyin.core.http import add_service_errors
from tabyin.core.notify import web_public
from tabyin.ideas.challenges.enums import Phase
from tabyin.ideas.challenges.views import challenge_base
from tabyin.ideas.entries import notices, selectors, services
from tabyin.ideas.entries.forms import EntryForm
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.identity.views import verified

FOLLOW_SESSION = "ideas_new_follow"


def challenge_page(request: HttpRequest, slug: str) -> HttpResponse:
    context = challenge_base(request, slug)
    challenge = context["challenge"]
    context["entries"] = list(selectors.public_entries(challenge)[:200])
    return render(request, "ideas/challenges/detail.html", context)


def entry_page(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    context = challenge_base(request, slug)
    entry = selectors.public_entry(context["challenge"], entry_id)
    if entry is None:
        raise Http404
    context["entry"] = entry
    context["supporter"] = verified(request, "support")
    return render(request, "ideas/entries/entry.html", context)


def _uploads(request: HttpRequest) -> list[Any]:
    return request.FILES.getlist("attachments")


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, slug: str) -> HttpResponse:  # noqa: PLR0911 - one answer per outcome
    context = challenge_base(request, slug)
    challenge = context["challenge"]
    author = verified(request, "author")
    if context["phase"] != Phase.SUBMISSION:
        return render(
            request, "ideas/entries/closed.html", context, status=409 if request.method == "POST" else 200
        )
    if author is None:
        return redirect(f"{reverse('ideas:verify', args=['author'])}?next={request.path}")
    form = EntryForm(request.POST or None, request.FILES or None, challenge=challenge)
    context.update(form=form, author=author, similar=[])
    if request.method != "POST":
        return render(request, "ideas/entries/submit.html", context)
    if not form.is_valid():
        return render(request, "ideas/entries/submit.html", context, status=400)
    draft = form.draft()
    similar = selectors.similar_entries(challenge, f"{draft.title}\n{draft.body}")
    if similar and not request.POST.get("seen_similar"):
        # Shown once before sending: the author may find their idea is already there and support it.
        context["similar"] = similar
        return render(request, "ideas/entries/submit.html", context)
    try:
        _entry, token = services.entry_submit(
            challenge=challenge,
            author=author,
            draft=draft,
            uploads=_uploads(request),
        )
    except services.DoubleSubmissionError as refusal:
        context["kept"] = refusal.kept
        return render(request, "ideas/entries/submit.html", context, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, "ideas/entries/submit.html", context, status=400)
    request.session[FOLLOW_SESSION] = token
    return redirect("ideas:sent", slug=challenge.slug)


@require_GET
def similar_live(request: HttpRequest, slug: str) -> JsonResponse:
    """The same near-duplicate search as the step before sending, asked by the submit page's
    script while the author types. Only for a verified author during submission (what the step
    shows them, no more), throttled per author."""
    context = challenge_base(request, slug)
    challenge = context["challenge"]
    author = verified(request, "author")
    if author is None or context["phase"] != Phase.SUBMISSION:
        return JsonResponse({"error": _("Prove your contact first.")}, status=403)
    if not selectors.live_allowed(author.identity_hash, timezone.now()):
        return JsonResponse({"error": _("Too many questions; wait a minute.")}, status=429)
    text = request.GET.get("q", "")[: selectors.LIVE_TEXT_MAX]
    found = selectors.similar_entries(challenge, text) if len(text.strip()) >= selectors.LIVE_TEXT_MIN else []
    items = [
        {
            "title": entry.title,
            "url": None if entry.status == "submitted" else reverse("ideas:entry", args=[slug, entry.pk]),
        }
        for entry, _score in found
    ]
    response = JsonResponse({"similar": items}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


def sent(request: HttpRequest, slug: str) -> HttpResponse:
    context = challenge_base(request, slug)
    token = request.session.get(FOLLOW_SESSION)
    entry = selectors.entry_by_follow(token) if isinstance(token, str) else None
    if entry is None:
        return redirect("ideas:challenge", slug=slug)
    context.update(entry=entry, follow_url=request.build_absolute_uri(reverse("ideas:follow", args=[token])))
    return render(request, "ideas/entries/sent.html", context)


def _entry_for(token: str) -> Entry:
    entry = selectors.entry_by_follow(token)
    if entry is None:
        raise Http404
    return entry


def _initial(entry: Entry) -> dict[str, Any]:
    return {
        "title": entry.title,
        "body": entry.body,
        "category": entry.category,
        "author_name": entry.author_name,
        "province": entry.province.iso_code if entry.province else "",
        "media_kind": entry.media_kind,
        "link": entry.link,
    }


def _released_feedback(entry: Entry) -> list[tuple[str, datetime | None]]:
    """The jury's released words with the time each was given (stored as ISO text in JSON)."""
    shown = []
    for item in entry.jury_feedback:
        try:
            when: datetime | None = datetime.fromisoformat(str(item.get("released_at", "")))
        except ValueError:
            when = None
        shown.append((str(item.get("text", "")), when))
    return shown


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, token: str) -> HttpResponse:
    entry = _entry_for(token)
    challenge = entry.challenge
    editable = timezone.now() < challenge.submission_closes
    form = EntryForm(
        request.POST or None, request.FILES or None, challenge=challenge, initial=_initial(entry)
    )
    context: dict[str, Any] = {
        "entry": entry,
        "challenge": challenge,
        "form": form,
        "editable": editable,
        "token": token,
        "jury_feedback": _released_feedback(entry),
        # What the author was told at each step (core's ledger of notices to the public, ADR 0040).
        **web_public.page_notices(app="ideas", ref=notices.ref_of(entry)),
    }
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.entry_edit(entry=entry, draft=form.draft(), uploads=_uploads(request))
            except ValidationError as error:
                add_service_errors(form, error)
                context["editable"] = timezone.now() < challenge.submission_closes
            else:
                return redirect("ideas:follow", token=token)
    return render(request, "ideas/entries/follow.html", context, status=status)


def follow_file(request: HttpRequest, token: str, file_token: str) -> FileResponse:
    entry = _entry_for(token)
    item = entry.files.filter(token=file_token).first()
    if item is None:
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.label, content_type=item.content_type
    )

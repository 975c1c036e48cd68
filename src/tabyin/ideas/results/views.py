"""Public results of a challenge (ranking, agreement, the winners, the inputs as JSON) and the
trackers of implemented ideas; the organizer's pages to confirm the winners and edit a tracker."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import add_service_errors, staff_user
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.ideas import permissions
from tabyin.ideas.challenges.enums import Phase
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.challenges.views import challenge_base
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.judging import selectors as jury_selectors
from tabyin.ideas.jury import inputs
from tabyin.ideas.results import selectors, services
from tabyin.ideas.results.forms import (
    MilestoneDoneForm,
    MilestoneForm,
    TrackForm,
    TrackStartForm,
    WinnersForm,
)
from tabyin.ideas.results.models import Implementation

PUBLISHED = (Phase.RESULTS, Phase.IMPLEMENTATION)


def _published(request: HttpRequest, slug: str) -> dict[str, Any]:
    context = challenge_base(request, slug)
    if context["phase"] not in PUBLISHED:
        raise Http404
    return context


def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    context = _published(request, slug)
    results = jury_selectors.jury_results(context["challenge"])
    context.update(
        results=results,
        rows=jury_selectors.ranking_rows(context["challenge"], results.ranked),
        announced=selectors.announced(context["challenge"]),
    )
    return render(request, "ideas/results/results.html", context)


def results_json(request: HttpRequest, slug: str) -> JsonResponse:
    """Everything needed to recompute the ranking (``tabyin.ideas.jury.inputs``: rubric, every
    score with its juror's pseudonym, each entry's sending time, the tie rule), and our answer."""
    context = _published(request, slug)
    results = jury_selectors.jury_results(context["challenge"])
    icc = results.icc
    announced = selectors.announced(context["challenge"])
    body = {
        "winners": None
        if announced is None
        else {
            "entries": [{"entry": str(e.pk), "rank": rank} for rank, e in announced.winners],
            "deviation_reason": announced.announcement.deviation_reason,
            "announced_at": announced.announcement.announced_at.isoformat(),
        },
        "inputs": inputs.to_json(results.published),
        "ranking": inputs.ranking_to_json(results.ranked),
        "agreement": None
        if icc is None
        else {
            "form": icc.form,
            "value": icc.value,
            "ci_low": icc.ci_low,
            "ci_high": icc.ci_high,
            "confidence": icc.confidence,
            "n_entries": icc.n_entries,
            "n_jurors": icc.n_jurors,
        },
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def implemented(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/results/implemented.html", {"trackers": selectors.trackers()})


def tracker(request: HttpRequest, entry_id: int) -> HttpResponse:
    item = selectors.tracker(entry_id)
    if item is None:
        raise Http404
    return render(request, "ideas/results/tracker.html", {"track": item, "entry": item.entry})


def evidence(request: HttpRequest, entry_id: int, milestone_id: int) -> FileResponse:
    item = selectors.evidence_of(entry_id, milestone_id)
    if item is None:
        raise Http404
    name = f"evidence-{item.pk}.{(item.evidence_file.name or '').rsplit('.', 1)[-1]}"
    return FileResponse(
        item.evidence_file.open("rb"), as_attachment=True, filename=name, content_type=item.evidence_type
    )


def _organizer(request: HttpRequest) -> User:
    user = staff_user(request)
    permissions.require(permissions.can_organize(scope_for(user)))
    return user


@staff_required
@require_http_methods(["GET", "POST"])
def winners(request: HttpRequest, slug: str) -> HttpResponse:
    """The organizer confirms the winners from the computed ranking (a deviation needs a reason)."""
    user = _organizer(request)
    challenge = get_object_or_404(Challenge, slug=slug)
    results = jury_selectors.jury_results(challenge)
    rows = jury_selectors.ranking_rows(challenge, results.ranked)
    done = selectors.announced(challenge)
    initial = {
        "message": _("The winners of «%(title)s» were chosen by the jury.") % {"title": challenge.title}
    }
    form = WinnersForm(request.POST or None, rows=rows, initial=initial)
    status = 200
    if request.method == "POST" and done is None:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.winners_confirm(
                    actor=user,
                    challenge=challenge,
                    entry_ids=data["winners"],
                    message=data["message"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The winners were announced and their authors were told."))
                return redirect("ideas:staff-winners", slug=slug)
    context = {"challenge": challenge, "form": form, "rows": rows, "done": done, "results": results}
    return render(request, "ideas/results/winners.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def track_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Start an idea's tracker, or change its unit, status and summary."""
    user = _organizer(request)
    entry = get_object_or_404(Entry.objects.select_related("challenge"), pk=entry_id)
    track = selectors.tracker_for_staff(entry_id)
    status = 200
    if track is None:
        start = TrackStartForm(request.POST or None)
        if request.method == "POST":
            status = 400
            if start.is_valid():
                d = start.cleaned_data
                try:
                    services.implementation_start(
                        actor=user,
                        entry=entry,
                        owner_unit=d["owner_unit"],
                        summary=d["summary"],
                        started=d["started"],
                        milestones=[(d["first_milestone"], d["first_due"])],
                    )
                except ValidationError as error:
                    add_service_errors(start, error)
                else:
                    messages.success(request, _("The tracker is public now and the author was told."))
                    return redirect("ideas:staff-track", entry_id=entry_id)
        return render(
            request, "ideas/results/track_edit.html", {"entry": entry, "start": start}, status=status
        )
    initial = {"owner_unit": track.owner_unit, "status": track.status, "summary": track.summary}
    form = TrackForm(request.POST or None, initial=initial)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.implementation_update(
                    actor=user,
                    track=track,
                    owner_unit=d["owner_unit"],
                    status=d["status"],
                    summary=d["summary"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved; the author was told."))
                return redirect("ideas:staff-track", entry_id=entry_id)
    return _track_page(request, entry, track, status, form=form)


def _track_page(
    request: HttpRequest, entry: Entry, track: Implementation, status: int = 200, **forms: object
) -> HttpResponse:
    initial = {"owner_unit": track.owner_unit, "status": track.status, "summary": track.summary}
    done_forms = forms.get("done_forms") or {}
    assert isinstance(done_forms, dict)
    milestones = [
        (m, done_forms.get(m.pk) or MilestoneDoneForm(prefix=f"m{m.pk}")) for m in track.milestones.all()
    ]
    context = {
        "entry": entry,
        "track": track,
        "form": forms.get("form") or TrackForm(initial=initial),
        "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        "milestones": milestones,
    }
    return render(request, "ideas/results/track_edit.html", context, status=status)


def _track_or_404(entry_id: int) -> tuple[Entry, Implementation]:
    track = selectors.tracker_for_staff(entry_id)
    if track is None:
        raise Http404
    return track.entry, track


@staff_required
@require_POST
def milestone_add(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = _organizer(request)
    entry, track = _track_or_404(entry_id)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(
                actor=user, track=track, title=form.cleaned_data["title"], due=form.cleaned_data["due"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The milestone was added; the author was told."))
            return redirect("ideas:staff-track", entry_id=entry_id)
    return _track_page(request, entry, track, 400, milestone_form=form)


@staff_required
@require_POST
def milestone_done(request: HttpRequest, entry_id: int, milestone_id: int) -> HttpResponse:
    user = _organizer(request)
    entry, track = _track_or_404(entry_id)
    milestone = get_object_or_404(track.milestones.all(), pk=milestone_id)
    form = MilestoneDoneForm(request.POST, request.FILES, prefix=f"m{milestone.pk}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.milestone_done(
                actor=user,
                milestone=milestone,
                done_on=d["done_on"],
                evidence=d["evidence"],
                evidence_file=d["evidence_file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The milestone is marked done; the author was told."))
            return redirect("ideas:staff-track", entry_id=entry_id)
    return _track_page(request, entry, track, 400, done_forms={milestone.pk: form})


@staff_required
@require_POST
def milestone_reopen(request: HttpRequest, entry_id: int, milestone_id: int) -> HttpResponse:
    user = _organizer(request)
    _entry, track = _track_or_404(entry_id)
    milestone = get_object_or_404(track.milestones.all(), pk=milestone_id)
    try:
        services.milestone_reopen(actor=user, milestone=milestone)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The milestone is open again; the author was told."))
    return redirect("ideas:staff-track", entry_id=entry_id)

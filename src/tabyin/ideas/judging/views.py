"""Staff pages of the jury: a juror's assignments and score form (others' scores only after
sending one's own), a conflict declaration, and the organizer's assignment run and results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import add_service_errors, staff_user
from tabyin.core.scoping import scope_for
from tabyin.ideas import permissions
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.judging import selectors, services
from tabyin.ideas.judging.forms import ConflictForm, ScoreForm


@staff_required
def my_assignments(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    return render(request, "ideas/judging/list.html", {"assignments": selectors.assignments_for(user)})


@staff_required
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = staff_user(request)
    assignment = get_object_or_404(selectors.assignments_for(user), pk=assignment_id)
    challenge = assignment.entry.challenge
    form = ScoreForm(request.POST or None, challenge=challenge)
    status = 200
    if request.method == "POST" and assignment.submitted_at is None:
        status = 400
        if form.is_valid():
            try:
                services.scores_submit(juror=user, assignment=assignment, values=form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your scores were sent; they are final."))
                return redirect("ideas:jury-score", assignment_id=assignment.pk)
    others = (
        selectors.labelled(challenge, selectors.other_scores(user=user, entry=assignment.entry))
        if assignment.submitted_at
        else None
    )
    context = {
        "assignment": assignment,
        "entry": assignment.entry,
        "challenge": challenge,
        "form": form,
        "mine": selectors.labelled(challenge, assignment.scores.all()),
        "others": others,
        "conflict_form": ConflictForm(),
    }
    return render(request, "ideas/judging/score.html", context, status=status)


@staff_required
def others(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Other jurors' scores of this entry; refused (403, audited) before one's own are sent."""
    user = staff_user(request)
    assignment = get_object_or_404(selectors.assignments_for(user), pk=assignment_id)
    rows = selectors.labelled(
        assignment.entry.challenge, selectors.other_scores(user=user, entry=assignment.entry)
    )
    return render(request, "ideas/judging/others.html", {"assignment": assignment, "rows": rows})


@staff_required
@require_POST
def conflict(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = staff_user(request)
    assignment = get_object_or_404(selectors.assignments_for(user), pk=assignment_id)
    form = ConflictForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.conflict_declare(juror=user, entry=assignment.entry, note=note)
    messages.success(request, _("Your conflict of interest is recorded; this entry goes to another juror."))
    return redirect("ideas:jury")


@staff_required  # type: ignore[arg-type]  # a file answer, not an HttpResponse
def entry_file(request: HttpRequest, assignment_id: int, file_token: str) -> FileResponse:
    user = staff_user(request)
    assignment = get_object_or_404(selectors.assignments_for(user), pk=assignment_id)
    item = assignment.entry.files.filter(token=file_token).first()
    if item is None:
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.label, content_type=item.content_type
    )


@staff_required
@require_http_methods(["GET", "POST"])
def organize(request: HttpRequest, slug: str) -> HttpResponse:
    user = staff_user(request)
    permissions.require(permissions.can_organize(scope_for(user)))
    challenge = get_object_or_404(Challenge, slug=slug)
    if request.method == "POST":
        try:
            made = services.assign(actor=user, challenge=challenge)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(n)s assignments were made.") % {"n": made})
        return redirect("ideas:staff-jury", slug=slug)
    results = selectors.jury_results(challenge)
    context = {
        "challenge": challenge,
        "results": results,
        "rows": selectors.ranking_rows(challenge, results.ranked),
        "progress": selectors.progress(challenge),
    }
    return render(request, "ideas/judging/organize.html", context)

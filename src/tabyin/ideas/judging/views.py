"""Staff pages of the jury: a juror's assignments and score form (others' scores only after
sending one's own), a conflict declaration, and the organizer's assignment run and results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.display.numbers import format_number
from tabyin.core.http import add_service_errors, page_language, staff_user
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.ideas import permissions
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.judging import feedback, pairwise, selectors, services
from tabyin.ideas.judging.forms import (
    CompareForm,
    ConflictForm,
    FeedbackForm,
    NamedConflictForm,
    ReassignForm,
    ScoreForm,
    SeatForm,
)
from tabyin.ideas.judging.models import Assignment, Feedback


@staff_required
def my_assignments(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    context = {
        "assignments": selectors.assignments_for(user),
        "pairwise": selectors.pairwise_challenges(user),
    }
    return render(request, "ideas/judging/list.html", context)


def _score_page(
    request: HttpRequest,
    user: User,
    assignment: Assignment,
    *,
    form: ScoreForm | None = None,
    feedback_form: FeedbackForm | None = None,
    status: int = 200,
) -> HttpResponse:
    challenge = assignment.entry.challenge
    written = Feedback.objects.filter(assignment=assignment).first()
    others = (
        selectors.labelled(challenge, selectors.other_scores(user=user, entry=assignment.entry))
        if assignment.submitted_at
        else None
    )
    context = {
        "assignment": assignment,
        "entry": assignment.entry,
        "challenge": challenge,
        "form": form or ScoreForm(challenge=challenge),
        "mine": selectors.labelled(challenge, assignment.scores.all()),
        "others": others,
        "conflict_form": ConflictForm(),
        "feedback": written,
        "feedback_form": feedback_form or FeedbackForm(initial={"text": written.text if written else ""}),
    }
    return render(request, "ideas/judging/score.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = staff_user(request)
    assignment = get_object_or_404(selectors.assignments_for(user), pk=assignment_id)
    form = ScoreForm(request.POST or None, challenge=assignment.entry.challenge)
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
    return _score_page(request, user, assignment, form=form, status=status)


@staff_required
@require_POST
def feedback_write(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The juror's feedback to the author of one reviewed entry (kept until the organizer releases
    it; rewritable until then)."""
    user = staff_user(request)
    assignment = get_object_or_404(selectors.assignments_for(user), pk=assignment_id)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            feedback.feedback_write(juror=user, assignment=assignment, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your feedback was saved; the author reads it once the organizer releases it.")
            )
            return redirect("ideas:jury-score", assignment_id=assignment.pk)
    return _score_page(request, user, assignment, feedback_form=form, status=400)


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
        item.file.open("rb"),
        as_attachment=True,
        filename=selectors.file_name_for_jury(assignment.entry, item),
        content_type=item.content_type,
    )


def _n(value: int) -> str:
    return format_number(value, page_language())


def _organizer(request: HttpRequest, slug: str) -> tuple[User, Challenge]:
    user = staff_user(request)
    permissions.require(permissions.can_organize(scope_for(user)))
    return user, get_object_or_404(Challenge, slug=slug)


def _organize_page(
    request: HttpRequest, user: User, challenge: Challenge, status: int = 200, **forms: object
) -> HttpResponse:
    results = selectors.jury_results(challenge)
    context = {
        "challenge": challenge,
        "results": results,
        "rows": selectors.ranking_rows(challenge, results.ranked),
        "progress": selectors.progress(challenge),
        "strengths": pairwise.strengths(challenge) if challenge.pairwise else None,
        "seats": selectors.seats(challenge),
        "conflicts": selectors.conflicts(challenge),
        "spread": selectors.spread(challenge),
        "seat_form": forms.get("seat_form") or SeatForm(challenge=challenge),
        "conflict_form": forms.get("conflict_form") or NamedConflictForm(challenge=challenge),
        "reassign_form": forms.get("reassign_form") or ReassignForm(challenge=challenge),
        "feedback": feedback.for_organizer(challenge),
    }
    return render(request, "ideas/judging/organize.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def organize(request: HttpRequest, slug: str) -> HttpResponse:
    """The jury page: its jurors and their loads, seating, named conflicts, the assignment run (with
    what it left) and single moves, and the ranking so far."""
    user, challenge = _organizer(request, slug)
    if request.method == "POST":
        try:
            made = services.assign(actor=user, challenge=challenge)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            spread = selectors.spread(challenge)
            if spread is None:
                messages.success(request, _("%(n)s assignments were made.") % {"n": _n(made)})
            else:
                messages.success(
                    request,
                    _(
                        "%(n)s assignments were made: %(entries)s entries, "
                        "each juror reviews %(low)s to %(high)s."
                    )
                    % {
                        "n": _n(made),
                        "entries": _n(spread.entries),
                        "low": _n(spread.lightest),
                        "high": _n(spread.heaviest),
                    },
                )
        return redirect("ideas:staff-jury", slug=slug)
    return _organize_page(request, user, challenge)


@staff_required
@require_POST
def seat_add(request: HttpRequest, slug: str) -> HttpResponse:
    user, challenge = _organizer(request, slug)
    form = SeatForm(request.POST, challenge=challenge)
    if form.is_valid():
        try:
            seat = services.seat_add_juror(actor=user, challenge=challenge, user=form.cleaned_data["user"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Juror %(n)s was seated.") % {"n": _n(seat.number)})
            return redirect("ideas:staff-jury", slug=slug)
    return _organize_page(request, user, challenge, 400, seat_form=form)


@staff_required
@require_POST
def seat_remove(request: HttpRequest, slug: str, seat_id: int) -> HttpResponse:
    user, challenge = _organizer(request, slug)
    seat = get_object_or_404(challenge.jurors.select_related("user"), pk=seat_id)
    try:
        services.seat_remove(actor=user, seat=seat)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The juror left the jury; run the assignment again to share their reviews.")
        )
    return redirect("ideas:staff-jury", slug=slug)


@staff_required
@require_POST
def conflict_name(request: HttpRequest, slug: str) -> HttpResponse:
    user, challenge = _organizer(request, slug)
    form = NamedConflictForm(request.POST, challenge=challenge)
    if form.is_valid():
        entry = challenge.entries.filter(pk=form.cleaned_data["entry"]).first()
        try:
            if entry is None:
                raise ValidationError({"entry": [_("There is no entry with this number in this challenge.")]})
            services.conflict_name(
                actor=user, seat=form.cleaned_data["seat"], entry=entry, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The conflict was recorded; the entry will not go to this juror."))
            return redirect("ideas:staff-jury", slug=slug)
    return _organize_page(request, user, challenge, 400, conflict_form=form)


@staff_required
@require_POST
def reassign(request: HttpRequest, slug: str) -> HttpResponse:
    user, challenge = _organizer(request, slug)
    form = ReassignForm(request.POST, challenge=challenge)
    if form.is_valid():
        data = form.cleaned_data
        assignment = (
            Assignment.objects.filter(
                seat=data["from_seat"], entry_id=data["entry"], entry__challenge=challenge
            )
            .select_related("entry__challenge", "seat")
            .first()
        )
        try:
            if assignment is None:
                raise ValidationError({"entry": [_("This juror does not review an entry with this number.")]})
            services.reassign(actor=user, assignment=assignment, seat=data["to_seat"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The review was moved."))
            return redirect("ideas:staff-jury", slug=slug)
    return _organize_page(request, user, challenge, 400, reassign_form=form)


@staff_required
@require_POST
def feedback_release(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    user, challenge = _organizer(request, slug)
    entry = get_object_or_404(challenge.entries, pk=entry_id)
    try:
        released = feedback.feedback_release(actor=user, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(n)s feedback texts were given to the author of entry %(entry)s, who was told.")
            % {"n": _n(released), "entry": _n(entry.pk)},
        )
    return redirect(f"{reverse('ideas:staff-jury', args=[slug])}#feedback")


@staff_required
@require_http_methods(["GET", "POST"])
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Two entries side by side; the juror picks the better one and the next pair comes."""
    user = staff_user(request)
    challenge = get_object_or_404(Challenge, slug=slug)
    seat = pairwise.seat_for(user, challenge)
    status = 200
    if request.method == "POST":
        form = CompareForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                pairwise.comparison_record(
                    juror=user,
                    challenge=challenge,
                    winner_id=form.cleaned_data["winner"],
                    loser_id=form.cleaned_data["loser"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your choice was recorded."))
                return redirect("ideas:jury-compare", slug=slug)
        else:
            messages.error(request, _("Choose one of the two entries."))
    context = {"challenge": challenge, "pair": pairwise.next_pair(seat), "done": pairwise.compared_by(seat)}
    return render(request, "ideas/judging/compare.html", context, status=status)

"""HQ's review of a province's submission — approve, return with a comment, comment on one
sub-indicator, correct a value with its reason, set a rubric level — and appeals: the officer
files one in the appeal window, an HQ evaluator decides it.

A correction is a row of its own made by ``value_correct`` (audited, with what
it replaced and why); nothing here edits what the province entered.
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import staff_user
from tabyin.scorecard import selectors
from tabyin.scorecard.enums import AppealState, IndicatorKind, PeriodState
from tabyin.scorecard.models import Appeal
from tabyin.scorecard.periods import selectors as selectors_staff
from tabyin.scorecard.periods import services as services_period
from tabyin.scorecard.periods.forms import AppealDecideForm, AppealForm
from tabyin.scorecard.periods.views import (
    appeal_rows,
    card_context,
    card_or_404,
    period_or_404,
    province_or_404,
)
from tabyin.scorecard.review import services as services_review
from tabyin.scorecard.review.forms import (
    ApproveForm,
    CommentForm,
    CorrectionForm,
    ReturnForm,
    RubricForm,
)

ACTIONS = ("approve", "return", "comment", "correct", "rubric")


def _forms(data: Any, action: str, card: selectors.Card, code: str) -> dict[str, django_forms.Form]:
    """Every review form, the posted one bound to what was typed; ``?code=S01`` preselects."""
    subs = [s.indicator for m in card.mains for s in m.subs]
    rubrics = [i for i in subs if i.kind == IndicatorKind.RUBRIC]
    correctable = [i for i in subs if i.kind != IndicatorKind.RUBRIC]
    initial = {"code": code} if code else {}

    def bound(name: str) -> Any:
        return data if action == name else None

    return {
        "approve": ApproveForm(bound("approve"), prefix="approve"),
        "return": ReturnForm(bound("return"), prefix="return"),
        "comment": CommentForm(bound("comment"), prefix="comment", indicators=subs, initial=initial),
        "correct": CorrectionForm(
            bound("correct"), prefix="correct", indicators=correctable, initial=initial
        ),
        "rubric": RubricForm(bound("rubric"), prefix="rubric", indicators=rubrics, initial=initial),
    }


def _apply(action: str, form: Any, actor: Any, card: selectors.Card) -> str:
    """Call the service for one review action; returns what to tell the reviewer."""
    data, submission = form.cleaned_data, card.submission
    if action == "approve":
        services_review.submission_approve(actor=actor, submission=submission, comment=data["comment"])
        return _("The submission is approved.")
    if action == "return":
        services_review.submission_return(actor=actor, submission=submission, comment=data["comment"])
        return _("The submission is returned to the province with your comment.")
    if action == "comment":
        services_review.comment_add(actor=actor, submission=submission, text=data["text"], code=data["code"])
        return _("The comment is added.")
    if action == "correct":
        services_review.value_correct(
            actor=actor, submission=submission, code=data["code"], raw=form.raw(), reason=data["reason"]
        )
        return str(
            _("The correction of %s is recorded; the province's own entry is kept beside it.") % data["code"]
        )
    services_review.rubric_set(
        actor=actor,
        submission=submission,
        code=data["code"],
        raw={"status": "reported", "value": str(data["level"]), "note": data["reason"]},
    )
    return str(_("The level of %s is set.") % data["code"])


@staff_required
def review(request: HttpRequest, code: str, iso: str) -> HttpResponse:
    actor = staff_user(request)
    card = card_or_404(actor, period_or_404(code), province_or_404(iso))  # 403 outside the province
    can = selectors_staff.abilities(actor, card.submission.province_id)
    if not can.review:
        if request.method == "POST":
            raise PermissionDenied
        return redirect("scorecard:province", code=card.period.code, iso=card.submission.province.iso_code)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in ACTIONS:
        raise Http404
    forms = _forms(request.POST if action else None, action, card, request.GET.get("code", "")[:16])
    if action:
        form = forms[action]
        if form.is_valid():
            try:
                done = _apply(action, form, actor, card)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, done)
                url = reverse("scorecard:review", kwargs={"code": card.period.code, "iso": iso.upper()})
                return redirect(f"{url}#{action}")
    appeals = list(selectors_staff.appeals(actor, card.period, submission=card.submission))
    accepted = any(a.state == AppealState.ACCEPTED for a in appeals)
    context = card_context(card) | {
        "can": can,
        "forms": forms,
        "action": action,
        # What the services will accept now; the forms are shown only then (or when posted).
        "review_open": card.period.state == PeriodState.OPEN,
        "correction_open": card.period.state == PeriodState.OPEN
        or (card.period.state == PeriodState.PUBLISHED and accepted),
        "appeal_rows": appeal_rows(appeals, decide=True),
        "no_appeals_text": _("No appeal."),
    }
    return render(request, "scorecard/staff/review.html", context)


@staff_required
def appeal(request: HttpRequest, code: str, iso: str) -> HttpResponse:
    """The officer's appeal against the published result, while the window is open."""
    actor = staff_user(request)
    card = card_or_404(actor, period_or_404(code), province_or_404(iso))
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_period.appeal_file(
                actor=actor, submission=card.submission, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The appeal is filed. HQ will decide it and give its reasons."))
            return redirect(
                "scorecard:province", code=card.period.code, iso=card.submission.province.iso_code
            )
    return render(
        request,
        "scorecard/staff/appeal.html",
        card_context(card)
        | {
            "form": form,
            "window_open": selectors_staff.appeal_window_open(card.period),
            "appeal_rows": appeal_rows(
                selectors_staff.appeals(actor, card.period, submission=card.submission), decide=False
            ),
            "no_appeals_text": _("No appeal yet."),
        },
    )


@staff_required
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = staff_user(request)
    try:
        found: Appeal = selectors_staff.appeal_for_decision(actor, pk)  # 403 for all but evaluators
    except Appeal.DoesNotExist:
        raise Http404 from None
    form = AppealDecideForm(request.POST, prefix=f"appeal{found.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    else:
        try:
            services_period.appeal_decide(
                actor=actor,
                appeal=found,
                accept=form.cleaned_data["accept"],
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The appeal is decided."))
    return redirect(reverse("scorecard:period", kwargs={"code": found.submission.period.code}) + "#appeals")

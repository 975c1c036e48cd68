"""Staff pages of the scorecard: periods, a period (its cycle, data-entry progress, the national
ranking, top performers, appeals), a province's scorecard and the exports. Thin: parse the
request, call a selector or service, render. A ``PermissionDenied`` from them is the 403 page; a
``ValidationError`` is shown as it is (the services word it for the reader).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from tabyin.core import selectors as core_selectors
from tabyin.core.decorators import staff_required
from tabyin.core.http import page_language, staff_user
from tabyin.core.models import OrgUnit, User
from tabyin.core.templatetags.persian import persian_digits
from tabyin.scorecard import display, selectors
from tabyin.scorecard.enums import AppealState, PeriodState
from tabyin.scorecard.models import Period, Submission
from tabyin.scorecard.periods import selectors as selectors_staff
from tabyin.scorecard.periods import services as services_period
from tabyin.scorecard.periods.forms import AppealDecideForm, AppealForm, PeriodCreateForm, RescoreForm
from tabyin.scorecard.radar import radar_svg

# The next steps of the cycle, by the period's state.
NEXT_ACTIONS: dict[str, tuple[str, ...]] = {
    PeriodState.DRAFT: ("open",),
    PeriodState.OPEN: ("freeze",),
    PeriodState.FROZEN: ("publish", "rescore"),
    PeriodState.PUBLISHED: ("finalize", "rescore"),
    PeriodState.FINAL: (),
}


def action_label(action: str) -> str:
    # A button says what it does («باز کردن برای ورود داده»); the state it leads to is named as a
    # state («باز برای ورود داده», the enum's label): one English phrase, two Persian ones.
    return {
        "open": pgettext("period action", "Open for data entry"),
        "freeze": _("Freeze and score"),
        "publish": _("Publish the results"),
        "finalize": _("Make final"),
        "rescore": _("Score again"),
    }[action]


# --- shared by the three view modules ------------------------------------------------------------


def period_or_404(code: str) -> Period:
    period = selectors.period_by_code(code)
    if period is None:
        raise Http404
    return period


def province_or_404(iso: str) -> OrgUnit:
    province = core_selectors.province_by_iso(iso)
    if province is None:
        raise Http404
    return province


def card_or_404(actor: User, period: Period, province: OrgUnit) -> selectors.Card:
    try:
        return selectors.province_card(actor, period, province)
    except Submission.DoesNotExist:  # a period still being prepared has no submissions yet
        raise Http404 from None


def say(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def appeal_rows(appeals: Any, *, decide: bool) -> list[dict[str, Any]]:
    """Appeals with the province's name and, for evaluators, a decide form for each open one
    (prefixed by the appeal, so every label on the page points at its own field)."""
    return [
        {
            "appeal": a,
            "name": display.name(a.submission.province),
            "form": AppealDecideForm(prefix=f"appeal{a.pk}")
            if decide and a.state == AppealState.OPEN
            else None,
        }
        for a in appeals
    ]


def card_context(card: selectors.Card) -> dict[str, Any]:
    """What the province page and the review page show about a card, worded for the reader."""
    indicators = {m.indicator.code: m.indicator for m in card.mains}
    indicators |= {s.indicator.code: s.indicator for m in card.mains for s in m.subs}
    result = card.result
    radar = ""
    if result is not None:
        radar = radar_svg(
            display.radar_axes(card.mains),
            language=page_language(),
            title=_("Main-indicator scores of %(province)s, %(period)s")
            % {"province": display.name(card.submission.province), "period": card.period.code},
        )
    return {
        "card": card,
        "period": card.period,
        "province": card.submission.province,
        "province_name": display.name(card.submission.province),
        "mains": [
            {
                "row": m,
                "name": display.name(m.indicator),
                "trend": display.score_trend(m.score, m.previous),
                "subs": [
                    {
                        "row": s,
                        "name": display.name(s.indicator),
                        "entered": display.sub_texts(s)[0],
                        "effective": display.sub_texts(s)[1],
                        "corrections": [(c, display.stored_text(s.indicator, c)) for c in s.corrections],
                        "unit": display.unit(s.indicator),
                        "warning": display.warning_text(s.indicator, s.value.warning, officer=False)
                        if s.value is not None and s.value.warning
                        else "",
                    }
                    for s in m.subs
                ],
            }
            for m in card.mains
        ],
        "covered_population": display.amount(
            None
            if card.submission.covered_population is None
            else Decimal(card.submission.covered_population)
        ),
        "pr_staff": display.amount(card.submission.pr_staff),
        "radar": mark_safe(radar),  # noqa: S308 - radar_svg escapes every text it writes
        "band": display.band_name(card.period.framework, result.band) if result else "",
        "rank_interval": display.rank_interval(result.rank_low, result.rank_high) if result else "",
        "flags": display.flag_texts(result.flags, indicators) if result else [],
        "total_trend": display.score_trend(
            result.total if result else None, card.previous_result.total if card.previous_result else None
        ),
    }


# --- periods -------------------------------------------------------------------------------------


@staff_required
def periods(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    can = selectors_staff.abilities(actor)
    own = selectors_staff.own_provinces(actor)
    if not (can.any or own):
        raise PermissionDenied
    form = PeriodCreateForm(request.POST or None) if can.review else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                created = services_period.period_create(actor=actor, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Period %s is created. Open it for data entry when ready.")
                    % persian_digits(created.code),
                )
                return redirect("scorecard:period", code=created.code)
    own_units = list(core_selectors.provinces().filter(pk__in=own)) if own else []
    return render(
        request,
        "scorecard/staff/periods.html",
        {"periods": list(selectors.periods()), "form": form, "can": can, "own_units": own_units},
    )


@staff_required
def period(request: HttpRequest, code: str) -> HttpResponse:
    actor = staff_user(request)
    found = period_or_404(code)
    can = selectors_staff.abilities(actor)
    own = selectors_staff.own_provinces(actor)
    if not (can.any or own):
        raise PermissionDenied
    ranking = selectors.ranking(actor, found) if selectors.can_see_results(actor, found) else []
    counts = Counter(r.result.rank for r in ranking if r.result.rank is not None)
    rows = [
        {
            "row": r,
            "name": display.name(r.province),
            "tied": r.result.rank is not None and counts[r.result.rank] > 1,
            "band": display.band_name(found.framework, r.result.band),
            "interval": display.rank_interval(r.result.rank_low, r.result.rank_high),
            "trend": display.rank_trend(r.rank_change),
        }
        for r in ranking
    ]
    entry = selectors.progress(actor, found)
    progress = [{"row": p, "name": display.name(p.submission.province)} for p in entry]
    top = [
        row for row, r in zip(rows, ranking, strict=True) if r.result.rank is not None and r.result.rank <= 3
    ]
    appeals = selectors_staff.open_appeals(actor, found)
    return render(
        request,
        "scorecard/staff/period.html",
        {
            "period": found,
            "can": can,
            "actions": [(a, action_label(a)) for a in NEXT_ACTIONS[found.state]] if can.review else [],
            "rescore_form": RescoreForm(choices=selectors_staff.rescore_frameworks(found))
            if can.review
            else None,
            "progress": progress,
            "entered_total": sum(p.entered for p in entry),
            "required_total": sum(p.required for p in entry),
            "ranking": rows,
            "top": top,
            "appeal_rows": appeal_rows(appeals, decide=can.review),
            "no_appeals_text": _("No open appeal."),
            "own": own,
            "framework_name": display.name(found.framework),
        },
    )


@staff_required
@require_POST
def period_action(request: HttpRequest, code: str) -> HttpResponse:
    actor = staff_user(request)
    found = period_or_404(code)
    action = request.POST.get("action", "")
    try:
        if action == "open":
            services_period.period_open(actor=actor, period=found)
        elif action == "freeze":
            services_period.period_freeze(actor=actor, period=found)
        elif action == "publish":
            services_period.period_publish(actor=actor, period=found)
        elif action == "finalize":
            services_period.period_finalize(actor=actor, period=found)
        elif action == "rescore":
            form = RescoreForm(request.POST, choices=selectors_staff.rescore_frameworks(found))
            framework = form.cleaned_data.get("framework") if form.is_valid() else None
            services_period.period_rescore(actor=actor, period=found, framework=framework)
        else:
            raise Http404
    except ValidationError as error:
        say(request, error)
    else:
        messages.success(request, _("Done: %s.") % action_label(action))
    return redirect("scorecard:period", code=found.code)


# --- a province's scorecard ----------------------------------------------------------------------


@staff_required
def province(request: HttpRequest, code: str, iso: str) -> HttpResponse:
    actor = staff_user(request)
    found = period_or_404(code)
    unit = province_or_404(iso)
    card = card_or_404(actor, found, unit)
    can = selectors_staff.abilities(actor, unit.pk)
    window = selectors_staff.appeal_window_open(found)
    context = card_context(card) | {
        "can": can,
        "appeal_rows": appeal_rows(
            selectors_staff.appeals(actor, found, submission=card.submission), decide=can.review
        ),
        "no_appeals_text": _("No appeal."),
        "appeal_form": AppealForm() if can.enter and window else None,
    }
    return render(request, "scorecard/staff/province.html", context)


# --- exports (written by the exports module; imported when asked for, so the pages work without it)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _results_period(request: HttpRequest, code: str) -> Period:
    found = period_or_404(code)
    # The national table with every province's scores: only for those who may see the results.
    if not selectors.can_see_results(staff_user(request), found) or selectors.current_run(found) is None:
        raise PermissionDenied
    return found


@staff_required
def export_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    found = _results_period(request, code)
    from tabyin.scorecard.exports import xlsx  # after the check: the writers are heavy to import

    return _attachment(
        xlsx.period_xlsx(found),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"scorecard-{found.code}.xlsx",
    )


@staff_required
def export_pdf(request: HttpRequest, code: str) -> HttpResponse:
    found = _results_period(request, code)
    from tabyin.scorecard.exports import pdf

    language = page_language()
    return _attachment(
        pdf.period_pdf(found, language), "application/pdf", f"scorecard-{found.code}-{language}.pdf"
    )


@staff_required
def province_pdf(request: HttpRequest, code: str, iso: str) -> HttpResponse:
    actor = staff_user(request)
    card = card_or_404(actor, period_or_404(code), province_or_404(iso))
    from tabyin.scorecard.exports import pdf

    language = page_language()
    filename = f"scorecard-{card.period.code}-{card.submission.province.iso_code}-{language}.pdf"
    return _attachment(pdf.province_pdf(card, language), "application/pdf", filename)

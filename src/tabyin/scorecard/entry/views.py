"""The provincial officer's data entry, one page per main indicator (a step), so that it fits a
phone: an overview (the denominators, the steps with how far each is, what is still missing,
"send for review") at ``entry/`` and a page per main indicator at ``entry/M03/``.

Every page is a plain form that saves on submit ("Previous", "Save", "Save and next" all save
first); a value far outside the province's history or its peers is saved and comes back with the
figures and an "it is right" box. Each save is all or nothing — when any part is refused (a value
out of range, a rate typed as a fraction, a file of the wrong type) nothing is stored and the page
comes back with every message and what was typed. Evidence "Upload" and "Remove" post the page's
form too, so nothing typed beside them is lost.

With JavaScript (``static/tabyin/js/scorecard-entry.js``) a step page also saves as you go: each
changed answer posts the form in the background with the ``X-Tabyin-Autosave`` header, through the
same save, and gets JSON back instead of a page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import page_language, staff_user
from tabyin.core.models import User
from tabyin.core.templatetags.persian import persian_numbers
from tabyin.scorecard import display, selectors
from tabyin.scorecard.entry import forms
from tabyin.scorecard.entry import selectors as selectors_entry
from tabyin.scorecard.entry import services as services_entry
from tabyin.scorecard.enums import IndicatorKind, PeriodState, ValueStatus
from tabyin.scorecard.models import Evidence
from tabyin.scorecard.periods import selectors as selectors_staff
from tabyin.scorecard.periods.views import card_or_404, period_or_404, province_or_404


def _entry_url(card: selectors.Card, step: str = "", anchor: str = "") -> str:
    kwargs = {"code": card.period.code, "iso": card.submission.province.iso_code}
    if step:
        url = reverse("scorecard:entry-step", kwargs=kwargs | {"step": step})
    else:
        url = reverse("scorecard:entry", kwargs=kwargs)
    return f"{url}#{anchor}" if anchor else url


def _officer_card(request: HttpRequest, code: str, iso: str) -> tuple[User, selectors.Card] | HttpResponse:
    actor = staff_user(request)
    card = card_or_404(actor, period_or_404(code), province_or_404(iso))  # 403 for other provinces
    if not selectors_staff.abilities(actor, card.submission.province_id).enter:
        # HQ reads the same data on the province's scorecard page; only the province enters it.
        return redirect("scorecard:province", code=card.period.code, iso=card.submission.province.iso_code)
    return actor, card


def _step_of(card: selectors.Card, code: str) -> selectors.MainRow | None:
    return next((m for m in card.mains if m.indicator.code == code), None)


def _initial(card: selectors.Card) -> dict[str, dict[str, str]]:
    return {s.indicator.code: forms.initial_row(s.indicator, s.value) for m in card.mains for s in m.subs}


def _save(
    request: HttpRequest, actor: User, card: selectors.Card, *, remove: Evidence | None = None
) -> list[str]:
    """Denominators, changed values and confirmations, chosen files (and a removal), all or
    nothing; only what the page sent is touched. Returns the messages of everything refused;
    empty when all was stored."""
    submission = card.submission
    errors: list[str] = []
    added: list[Evidence] = []
    subs = [s.indicator for m in card.mains for s in m.subs]
    with transaction.atomic():
        stored = forms.initial_denominators(submission)
        typed = forms.typed_denominators(request.POST, stored)
        if forms.denominators_changed(typed, stored):
            try:
                services_entry.denominators_save(actor=actor, submission=submission, **typed)
            except ValidationError as error:
                errors.extend(error.messages)
        rows = forms.changed_rows(request.POST, subs, _initial(card))
        confirm = forms.confirmations(request.POST, subs)
        if rows or confirm:
            try:
                services_entry.values_save(actor=actor, submission=submission, rows=rows, confirm=confirm)
            except ValidationError as error:
                errors.extend(error.messages)
        for indicator in subs:
            upload: UploadedFile[Any] | None = request.FILES.get(f"file-{indicator.code}")
            if upload is None:
                continue
            try:
                added.append(
                    services_entry.evidence_add(
                        actor=actor, submission=submission, code=indicator.code, upload=upload
                    )
                )
            except ValidationError as error:
                errors.extend(f"{indicator.code}: {m}" for m in error.messages)
        if remove is not None and not errors:
            try:
                services_entry.evidence_remove(actor=actor, evidence=remove)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            transaction.set_rollback(True)
    if errors:  # the rows are gone with the rollback; their files must not stay behind
        for evidence in added:
            evidence.file.storage.delete(evidence.file.name or "")
    return errors


def _messages_for(code: str, errors: list[str]) -> list[str]:
    return [e for e in errors if e.startswith((f"{code} ", f"{code}:"))]


def _posted_mains(request: HttpRequest, card: selectors.Card) -> list[selectors.MainRow]:
    """The main indicators whose fields came with a refused post: shown again with what was typed."""
    sent = {key.split("-", 1)[0] for key in request.POST} | {
        key.split("-", 1)[1] for key in request.FILES if key.startswith("file-")
    }
    return [m for m in card.mains if any(s.indicator.code in sent for s in m.subs)]


def _sub(
    request: HttpRequest, s: selectors.SubRow, initial: dict[str, str], errors: list[str]
) -> dict[str, Any]:
    code, fa = s.indicator.code, page_language() == "fa"
    value = s.value
    return {
        "row": s,
        "code": code,
        "name": display.name(s.indicator),
        "definition": s.indicator.definition_fa
        if fa or not s.indicator.definition_en
        else s.indicator.definition_en,
        "evidence_text": s.indicator.evidence_fa
        if fa or not s.indicator.evidence_en
        else s.indicator.evidence_en,
        "unit": display.unit(s.indicator),
        "entered": forms.entered(s.indicator),
        "typed": forms.typed_row(request.POST, code) if request.method == "POST" else display.shown(initial),
        "stored": display.stored_text(s.indicator, value) if value else "",
        "effective": display.stored_text(s.indicator, s.effective) if s.corrections else "",
        "errors": _messages_for(code, errors),
        "warning": display.warning_text(s.indicator, value.warning) if value and value.warning else "",
        "confirm_value": (value.warning.get("value") or "") if value and value.warning else "",
        "confirmed": value is not None and value.confirmed_at is not None,
    }


def _render(
    request: HttpRequest,
    card: selectors.Card,
    *,
    step: selectors.MainRow | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """The overview (``step`` None) or one step's page. After a refused post the overview shows
    the main indicators whose fields were sent, with what was typed."""
    errors = errors or []
    posted = request.method == "POST"
    initial = _initial(card)
    submission = card.submission
    editable = card.period.state == PeriodState.OPEN and submission.state in services_entry.EDITABLE
    steps = selectors_entry.steps(card.mains)
    shown_mains = [step] if step is not None else (_posted_mains(request, card) if errors else [])
    current = next((x for x in steps if step is not None and x.main is step), None)
    at = steps.index(current) if current is not None else -1
    return render(
        request,
        "scorecard/staff/entry.html",
        {
            "card": card,
            "period": card.period,
            "submission": submission,
            "province_name": display.name(submission.province),
            "steps": [{"step": x, "name": display.name(x.main.indicator)} for x in steps],
            "totals": selectors_entry.totals(steps),
            "current": current,
            "previous_step": steps[at - 1] if at > 0 else None,
            "next_step": steps[at + 1] if 0 <= at < len(steps) - 1 else None,
            "mains": [
                {
                    "row": m,
                    "name": display.name(m.indicator),
                    "subs": [_sub(request, s, initial[s.indicator.code], errors) for s in m.subs],
                }
                for m in shown_mains
            ],
            "errors": errors,
            "editable": editable,
            "denominators": forms.typed_denominators(request.POST, forms.initial_denominators(submission))
            if posted
            else display.shown_denominators(submission),
            "missing": services_entry.missing_items(submission) if step is None else [],
            "statuses": ValueStatus.choices,
            "kinds": IndicatorKind,
            "accept": forms.EVIDENCE_ACCEPT,
        },
    )


def _after_save(request: HttpRequest, card: selectors.Card, step: selectors.MainRow) -> HttpResponse:
    """Where "Previous", "Save" and "Save and next" lead once the page is saved. A figure that
    needs a look keeps the officer on the page, with the figures beside it."""
    fresh = selectors.province_card(staff_user(request), card.period, card.submission.province)
    row = _step_of(fresh, step.indicator.code)
    if row is not None and any(selectors_entry.unconfirmed(s.value) for s in row.subs):
        messages.warning(request, _("Saved. Some figures are far from the usual: please check them below."))
        return redirect(_entry_url(card, step.indicator.code))
    messages.success(request, _("Saved."))
    codes = [m.indicator.code for m in card.mains]
    at = codes.index(step.indicator.code)
    action = request.POST.get("action")
    if action == "next":
        return redirect(_entry_url(card, codes[at + 1]) if at + 1 < len(codes) else _entry_url(card))
    if action == "previous" and at > 0:
        return redirect(_entry_url(card, codes[at - 1]))
    return redirect(_entry_url(card, step.indicator.code))


def _background_save(
    request: HttpRequest, actor: User, card: selectors.Card, step: selectors.MainRow
) -> JsonResponse:
    """Save as you go: the buttons' save, answered with what the page must change instead of a
    page: the refusals (nothing stored), or each sub-indicator's plausibility note drawn by the
    page's own partial, so that a far figure asks "are you sure?" at once and its box posts with
    the form as before."""
    errors = _save(request, actor, card)
    if errors:
        return JsonResponse({"saved": False, "errors": [persian_numbers(e) for e in errors]}, status=400)
    fresh = selectors.province_card(actor, card.period, card.submission.province)
    row = _step_of(fresh, step.indicator.code)
    subs = row.subs if row is not None else []
    initial = _initial(fresh)
    notes = {
        s.indicator.code: render_to_string(
            "scorecard/staff/_plausibility.html",
            {"s": _sub(request, s, initial[s.indicator.code], []), "code": s.indicator.code},
            request=request,
        )
        for s in subs
    }
    check = any(selectors_entry.unconfirmed(s.value) for s in subs)
    return JsonResponse({"saved": True, "check": check, "notes": notes})


@staff_required
def entry(request: HttpRequest, code: str, iso: str) -> HttpResponse:
    """The overview: denominators, the steps, what is missing, "send for review"."""
    found = _officer_card(request, code, iso)
    if isinstance(found, HttpResponse):
        return found
    actor, card = found
    if request.method != "POST":
        return _render(request, card)
    errors = _save(request, actor, card)
    if errors:
        return _render(request, card, errors=errors)
    if request.POST.get("action") == "submit":
        try:
            services_entry.submission_submit(actor=actor, submission=card.submission)
        except ValidationError as error:
            messages.error(request, _("Saved, but not sent for review yet:"))
            for message in error.messages:
                messages.error(request, message)
            return redirect(_entry_url(card))
        messages.success(
            request, _("Sent for review. The reviewers will approve it or return it with comments.")
        )
        return redirect("scorecard:province", code=card.period.code, iso=card.submission.province.iso_code)
    messages.success(request, _("Saved."))
    return redirect(_entry_url(card))


@staff_required
def entry_step(request: HttpRequest, code: str, iso: str, step: str) -> HttpResponse:
    """One main indicator's sub-indicators."""
    found = _officer_card(request, code, iso)
    if isinstance(found, HttpResponse):
        return found
    actor, card = found
    main = _step_of(card, step)
    if main is None:
        raise Http404
    if request.method != "POST":
        return _render(request, card, step=main)
    if request.headers.get("X-Tabyin-Autosave") == "1":
        return _background_save(request, actor, card, main)
    errors = _save(request, actor, card)
    if errors:
        return _render(request, card, step=main, errors=errors)
    return _after_save(request, card, main)


def _back_to(request: HttpRequest, card: selectors.Card, anchor: str) -> str:
    """The page an upload or a removal was made from (its ``step`` field), at the item."""
    main = _step_of(card, str(request.POST.get("step", ""))[:16])
    return _entry_url(card, main.indicator.code if main else "", anchor)


def _refused(request: HttpRequest, card: selectors.Card, errors: list[str]) -> HttpResponse:
    return _render(request, card, step=_step_of(card, str(request.POST.get("step", ""))[:16]), errors=errors)


@staff_required
@require_POST
def evidence_upload(request: HttpRequest, code: str, iso: str) -> HttpResponse:
    """ "Upload" beside a sub-indicator's file: the page's form is saved with the file."""
    found = _officer_card(request, code, iso)
    if isinstance(found, HttpResponse):
        return found
    actor, card = found
    errors = _save(request, actor, card)
    if errors:
        return _refused(request, card, errors)
    messages.success(request, _("Saved with the file."))
    return redirect(_back_to(request, card, str(request.POST.get("upload", ""))[:16]))


@staff_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = staff_user(request)
    try:
        evidence = selectors_staff.evidence_for(actor, pk)
    except Evidence.DoesNotExist:
        raise Http404 from None
    submission = evidence.submission
    found = _officer_card(request, submission.period.code, submission.province.iso_code)
    if isinstance(found, HttpResponse):
        return found
    actor, card = found
    errors = _save(request, actor, card, remove=evidence)
    if errors:
        return _refused(request, card, errors)
    messages.success(request, _("The file %s is removed.") % evidence.original_name)
    return redirect(_back_to(request, card, evidence.indicator.code))


@staff_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file as an attachment, never shown inline: whatever it holds runs nowhere here."""
    try:
        evidence = selectors_staff.evidence_for(staff_user(request), pk)  # 403 outside its province
        with evidence.file.open("rb") as handle:  # at most TABYIN_EVIDENCE_MAX_BYTES
            content = handle.read()
    except (Evidence.DoesNotExist, FileNotFoundError):
        raise Http404 from None
    response = HttpResponse(content, content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(True, evidence.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

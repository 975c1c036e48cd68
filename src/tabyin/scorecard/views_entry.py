"""The provincial officer's entry form: every sub-indicator of the framework, grouped by main
indicator, with the inputs its kind needs, the denominators, evidence files and what is still
missing; and evidence download.

One form holds everything, so nothing typed is lost: "Save", "Upload" beside a file and
"Remove" beside a file all post the whole form and save it first. Each save is all or nothing —
when any part is refused (a value out of range, a rate typed as a fraction, a file of the wrong
type) nothing is stored and the page comes back with every message and what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import page_language, staff_user
from tabyin.core.models import User
from tabyin.scorecard import display, forms, selectors, selectors_staff, services_entry
from tabyin.scorecard.enums import IndicatorKind, PeriodState, ValueStatus
from tabyin.scorecard.models import Evidence
from tabyin.scorecard.views_staff import card_or_404, period_or_404, province_or_404


def _entry_url(card: selectors.Card, anchor: str = "") -> str:
    url = reverse(
        "scorecard:entry", kwargs={"code": card.period.code, "iso": card.submission.province.iso_code}
    )
    return f"{url}#{anchor}" if anchor else url


def _officer_card(request: HttpRequest, code: str, iso: str) -> tuple[User, selectors.Card] | HttpResponse:
    actor = staff_user(request)
    card = card_or_404(actor, period_or_404(code), province_or_404(iso))  # 403 for other provinces
    if not selectors_staff.abilities(actor, card.submission.province_id).enter:
        # HQ reads the same data on the province's scorecard page; only the province enters it.
        return redirect("scorecard:province", code=card.period.code, iso=card.submission.province.iso_code)
    return actor, card


def _initial(card: selectors.Card) -> dict[str, dict[str, str]]:
    return {s.indicator.code: forms.initial_row(s.indicator, s.value) for m in card.mains for s in m.subs}


def _save(
    request: HttpRequest, actor: User, card: selectors.Card, *, remove: Evidence | None = None
) -> list[str]:
    """Denominators, changed values, chosen files (and a removal), all or nothing. Returns the
    messages of everything refused; empty when all was stored."""
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
        if rows:
            try:
                services_entry.values_save(actor=actor, submission=submission, rows=rows)
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


def _render(request: HttpRequest, card: selectors.Card, *, errors: list[str] | None = None) -> HttpResponse:
    errors = errors or []
    posted = request.method == "POST"
    initial = _initial(card)
    submission = card.submission
    editable = card.period.state == PeriodState.OPEN and submission.state in services_entry.EDITABLE
    mains = []
    for m in card.mains:
        subs = []
        for s in m.subs:
            code = s.indicator.code
            subs.append(
                {
                    "row": s,
                    "code": code,
                    "name": display.name(s.indicator),
                    "definition": s.indicator.definition_en
                    if page_language() == "en" and s.indicator.definition_en
                    else s.indicator.definition_fa,
                    "evidence_text": s.indicator.evidence_en
                    if page_language() == "en" and s.indicator.evidence_en
                    else s.indicator.evidence_fa,
                    "unit": display.unit(s.indicator),
                    "entered": forms.entered(s.indicator),
                    "typed": forms.typed_row(request.POST, code) if posted else display.shown(initial[code]),
                    "stored": display.stored_text(s.indicator, s.value) if s.value else "",
                    "effective": display.stored_text(s.indicator, s.effective) if s.corrections else "",
                    "errors": _messages_for(code, errors),
                }
            )
        mains.append({"row": m, "name": display.name(m.indicator), "subs": subs})
    return render(
        request,
        "scorecard/staff/entry.html",
        {
            "card": card,
            "period": card.period,
            "submission": submission,
            "province_name": display.name(submission.province),
            "mains": mains,
            "errors": errors,
            "editable": editable,
            "denominators": forms.typed_denominators(request.POST, forms.initial_denominators(submission))
            if posted
            else display.shown_denominators(submission),
            "missing": services_entry.missing_items(submission),
            "statuses": ValueStatus.choices,
            "kinds": IndicatorKind,
            "accept": forms.EVIDENCE_ACCEPT,
        },
    )


@staff_required
def entry(request: HttpRequest, code: str, iso: str) -> HttpResponse:
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
@require_POST
def evidence_upload(request: HttpRequest, code: str, iso: str) -> HttpResponse:
    """ "Upload" beside a sub-indicator's file: the whole form is saved with the file."""
    found = _officer_card(request, code, iso)
    if isinstance(found, HttpResponse):
        return found
    actor, card = found
    errors = _save(request, actor, card)
    if errors:
        return _render(request, card, errors=errors)
    messages.success(request, _("Saved with the file."))
    return redirect(_entry_url(card, str(request.POST.get("upload", ""))[:16]))


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
        return _render(request, card, errors=errors)
    messages.success(request, _("The file %s is removed.") % evidence.original_name)
    return redirect(_entry_url(card, evidence.indicator.code))


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

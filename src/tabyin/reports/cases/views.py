"""The case handlers' pages: the unit's inbox, a case with its actions, evidence downloads and the
CSV export. Thin: the services and selectors check who may do what (``PermissionDenied`` is the
403 page, except for a report that is not the actor's: 404, as for a missing one); pages that
decrypt send the user to unlock their key first.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.enums import UnitKind
from tabyin.core.http import page_language, staff_user
from tabyin.reports.cases import exports
from tabyin.reports.cases import selectors as selectors_staff
from tabyin.reports.cases import services as services_case
from tabyin.reports.cases.forms import (
    AssignForm,
    DeadlineForm,
    HoldForm,
    IdentityRequestForm,
    InboxFilterForm,
    MessageForm,
    NoteForm,
    StatusForm,
    TransferForm,
)
from tabyin.reports.enums import CaseStatus, DisclosureState
from tabyin.reports.intake import abuse, validation
from tabyin.reports.keys.views import to_keys, unlocked_key
from tabyin.reports.models import Report

KINDS = dict(UnitKind.choices)
ACTIONS = ("status", "assign", "note", "message", "deadline", "transfer", "hold")


def mine_or_404(actor: Any, pk: int) -> Report:
    """The report, if the actor handles a unit that received it; 404 otherwise, whether it exists
    or not, so a report number answers nothing to anyone it was not sent to (issue 15.6b)."""
    report = Report.objects.select_related("category", "province", "assignee").filter(pk=pk).first()
    if report is None:
        raise Http404
    try:
        services_case.recipient_for(actor, report)
    except PermissionDenied:
        raise Http404 from None
    return report


# The audit log keeps machine names; the case page shows them in words.
FIELD_LABELS: dict[str, Any] = {
    "status": pgettext_lazy("case history", "Status"),
    "assignee": pgettext_lazy("case history", "Assigned to"),
    "due_at": pgettext_lazy("case history", "Deadline"),
    "legal_hold": pgettext_lazy("case history", "Legal hold"),
    "unit": pgettext_lazy("case history", "Unit"),
    "units": pgettext_lazy("case history", "Receiving units"),
    "category": pgettext_lazy("case history", "Category"),
    "reason": pgettext_lazy("case history", "Reason"),
    "reason_note": pgettext_lazy("case history", "Reason (internal note)"),
    "message": pgettext_lazy("case history", "Message"),
    "note": pgettext_lazy("case history", "Internal note"),
    "files": pgettext_lazy("case history", "Files"),
    "file": pgettext_lazy("case history", "File"),
    "state": pgettext_lazy("case history", "Identity request"),
    "identity_request": pgettext_lazy("case history", "Identity request number"),
}
VALUE_LABELS: dict[str, Any] = {
    **{str(value): label for value, label in CaseStatus.choices},
    **{str(value): label for value, label in DisclosureState.choices},
    "True": pgettext_lazy("case history", "yes"),
    "False": pgettext_lazy("case history", "no"),
}


def _shown(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, list):
        return "، ".join(str(_shown(v, names)) for v in value)
    if value is None:
        return "—"
    return names.get(str(value)) or VALUE_LABELS.get(str(value), value)


def changes(
    before: dict[str, Any], after: dict[str, Any], names: dict[str, dict[str, str]] | None = None
) -> list[tuple[str, Any, Any]]:
    """An audit entry's fields as (label, before, after), in the order they were written; codes
    of categories, units and people shown by their names (``selectors_staff.history_names``)."""
    names = names or {}
    keys = list(before) + [k for k in after if k not in before]
    return [
        (
            FIELD_LABELS.get(k, k),
            _shown(before[k], names.get(k, {})) if k in before else None,
            _shown(after.get(k), names.get(k, {})),
        )
        for k in keys
    ]


def no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    form = InboxFilterForm(request.GET or None, language=page_language())
    found = selectors_staff.inbox(actor, form.filters())
    return render(
        request,
        "reports/staff/inbox.html",
        {
            "form": form,
            "inbox": found,
            "is_open": unlocked_key(request) is not None,
            "query": request.GET.urlencode(),
        },
    )


def _forms(actor: Any, report: Report, bound: dict[str, forms.Form] | None = None) -> dict[str, forms.Form]:
    lang = page_language()
    made: dict[str, forms.Form] = {
        "status": StatusForm(initial={"status": report.status}, prefix="status"),
        "assign": AssignForm(
            handlers=services_case.assignable(actor, report),
            initial={"assignee": str(report.assignee_id or "")},
            prefix="assign",
        ),
        "note": NoteForm(prefix="note"),
        "message": MessageForm(prefix="message"),
        "deadline": DeadlineForm(prefix="deadline"),
        "transfer": TransferForm(
            units=services_case.transfer_targets(actor, report), language=lang, prefix="transfer"
        ),
        "hold": HoldForm(initial={"on": "off" if report.legal_hold else "on"}, prefix="hold"),
        "identity": IdentityRequestForm(prefix="identity"),
    }
    made.update(bound or {})
    return made


def _render_case(request: HttpRequest, pk: int, bound: dict[str, forms.Form] | None = None) -> HttpResponse:
    actor = staff_user(request)
    mine_or_404(actor, pk)  # before asking for a key
    opened = unlocked_key(request)
    if opened is None:
        return to_keys(request)
    try:
        case = services_case.case_open(actor=actor, unlocked=opened, report_id=pk, language=page_language())
    except Report.DoesNotExist:
        raise Http404 from None
    except services_case.NoShareError:
        return render(request, "reports/staff/no_share.html", status=403)
    names = selectors_staff.history_names(list(case.history), page_language())
    response = render(
        request,
        "reports/staff/case.html",
        {
            "case": case,
            "forms": _forms(actor, case.report, bound),
            "lang": page_language(),
            "concerns": [str(KINDS.get(k, k)) for k in case.concerns],
            "excluded": [str(KINDS.get(k, k)) for k in case.excluded],
            "history": [{"entry": e, "changes": changes(e.before, e.after, names)} for e in case.history],
        },
        status=400 if bound else 200,
    )
    return no_store(response)


@never_cache
@staff_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, pk)


def _bound(action: str, request: HttpRequest, actor: Any, report: Report) -> forms.Form:
    data, files, lang = request.POST, request.FILES, page_language()
    if action == "assign":
        return AssignForm(data, handlers=services_case.assignable(actor, report), prefix="assign")
    if action == "transfer":
        return TransferForm(
            data, units=services_case.transfer_targets(actor, report), language=lang, prefix="transfer"
        )
    form_class: type[forms.Form] = {
        "status": StatusForm,
        "note": NoteForm,
        "message": MessageForm,
        "deadline": DeadlineForm,
        "hold": HoldForm,
    }[action]
    return form_class(data, files, prefix=action)


def _apply(action: str, form: forms.Form, request: HttpRequest, report: Report) -> str:
    """Run the action's service; returns the confirmation to show."""
    actor = staff_user(request)
    data = form.cleaned_data
    if action == "status":
        services_case.status_set(actor=actor, report=report, status=data["status"])
        return _("The status is changed.")
    if action == "assign":
        assert isinstance(form, AssignForm)
        services_case.assign(actor=actor, report=report, assignee=form.chosen())
        return _("The assignment is changed.")
    if action == "deadline":
        services_case.deadline_set(actor=actor, report=report, due_at=data["due"])
        return _("The deadline is changed.")
    return _apply_keyed(action, form, request, report)


def _apply_keyed(action: str, form: forms.Form, request: HttpRequest, report: Report) -> str:
    """The actions that write ciphertext, with the unlocked key."""
    actor = staff_user(request)
    opened = unlocked_key(request)
    if opened is None:
        raise PermissionDenied("the key is locked")
    data = form.cleaned_data
    if action == "note":
        services_case.note_add(actor=actor, unlocked=opened, report=report, text=data["body"])
        return _("The note is saved.")
    if action == "hold":  # its reason is an encrypted note
        services_case.legal_hold_set(
            actor=actor, unlocked=opened, report=report, on=data["on"], reason=data["reason"]
        )
        return _("The legal hold is changed.")
    if action == "message":
        assert isinstance(form, MessageForm)
        services_case.message_send(
            actor=actor,
            unlocked=opened,
            report=report,
            text=data["body"],
            files=form.attachments(request.FILES.getlist("message-upload")),
            max_files=settings.TABYIN_REPORTS_MAX_FILES,
            max_bytes=settings.TABYIN_REPORTS_FILE_MAX_BYTES,
        )
        return _("The message is sent. The reporter sees it when they come back with their receipt code.")
    assert isinstance(form, TransferForm)
    target = form.target()
    services_case.transfer(actor=actor, unlocked=opened, report=report, to_unit=target, reason=data["reason"])
    return _("The report is transferred to %(unit)s.") % {"unit": target.name(page_language())}


@abuse.uploads_in_memory  # a handler's attachments are evidence too: never spooled to disk in plain
@require_POST
@staff_required
def case_action(request: HttpRequest, pk: int) -> HttpResponse:
    actor = staff_user(request)
    report = mine_or_404(actor, pk)  # before anything else for other units
    if unlocked_key(request) is None:
        return to_keys(request, back=reverse("reports:case", args=[pk]))
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise Http404
    form = _bound(action, request, actor, report)
    if form.is_valid():
        try:
            done = _apply(action, form, request, report)
        except ValidationError as error:
            form.add_error(None, error)
        except validation.SubmissionError as error:
            for field, errors in error.errors.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, done)
            if action == "transfer":
                return redirect("reports:inbox")
            return redirect(f"{reverse('reports:case', args=[pk])}#{action}")
    return _render_case(request, pk, {action: form})


@never_cache
@staff_required
def staff_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    actor = staff_user(request)
    report = mine_or_404(actor, pk)
    opened = unlocked_key(request)
    if opened is None:
        return to_keys(request)
    try:
        found = services_case.file_read(actor=actor, unlocked=opened, report=report, file_id=file_id)
    except LookupError:
        raise Http404 from None
    response = HttpResponse(found.data, content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return no_store(response)


@never_cache
@staff_required
def export(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    form = InboxFilterForm(request.GET or None, language=page_language())
    filters = form.filters()
    selectors_staff.inbox_queryset(actor, filters)  # 403 for anyone who handles no unit
    opened = unlocked_key(request)
    if opened is None:
        return to_keys(request)
    data = exports.inbox_csv(
        actor=actor,
        unlocked=opened,
        filters=filters,
        language=page_language(),
        bom=request.GET.get("bom") == "1",
    )
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reports-inbox.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return no_store(response)

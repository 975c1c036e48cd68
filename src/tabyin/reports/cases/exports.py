"""The unit's inbox as CSV: the plain columns and the first 200 characters of each description.

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula, and
bidi controls can disguise text: every cell passes ``validation.inert`` and then the neutralizer
every export shares (``tabyin.core.files.spreadsheet``: a leading apostrophe when the first visible
character would start a formula).
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.files.spreadsheet import neutralize
from tabyin.core.models import OrgUnit, User
from tabyin.core.scoping import scope_for
from tabyin.reports import permissions
from tabyin.reports.cases import selectors as selectors_staff
from tabyin.reports.cases import services as services_case
from tabyin.reports.enums import CLOSED_STATUSES
from tabyin.reports.intake import validation
from tabyin.reports.keys import services as services_keys

EXCERPT = 200


def cell(value: object) -> str:
    text = validation.inert("" if value is None else str(value))
    return neutralize(text)


def inbox_csv(
    *,
    actor: User,
    unlocked: services_keys.Unlocked,
    filters: selectors_staff.Filters,
    language: str = "fa",
    bom: bool = False,
) -> bytes:
    reports = selectors_staff.export_reports(actor, filters)
    excerpts = selectors_staff.what_excerpts(actor=actor, unlocked=unlocked, reports=reports, limit=EXCERPT)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            _("Case"),
            _("Category"),
            _("Province"),
            _("Received on"),
            _("Deadline"),
            _("Overdue"),
            _("Status"),
            _("Assigned to"),
            _("Unread messages"),
            _("What happened (first 200 characters)"),
        ]
    )
    now = timezone.now()
    for report in reports:
        overdue = report.status not in CLOSED_STATUSES and report.due_at < now
        writer.writerow(
            [
                cell(report.pk),
                cell(report.category.code),
                cell(report.province.iso_code if report.province else "hq"),
                cell(report.received_at.date().isoformat()),
                cell(report.due_at.date().isoformat()),
                cell("yes" if overdue else "no"),
                cell(report.status),
                cell(report.assignee.get_username() if report.assignee else ""),
                cell(getattr(report, "unread", 0)),
                cell(excerpts.get(report.pk, "")),
            ]
        )
    units = permissions.handler_units(scope_for(actor))
    unit = OrgUnit.objects.filter(id__in=units).order_by("id").first()
    if unit is not None:
        services_case.export_record(actor=actor, unit=unit, rows=len(reports))
    text = buffer.getvalue()
    return (("\ufeff" if bom else "") + text).encode()

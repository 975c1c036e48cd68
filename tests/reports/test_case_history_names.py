"""The case page's history shows names, not the codes the audit log keeps: a category by its
name, units by theirs, the assignee by their display name (issue 16: «نوع گزارش: bribery»)."""

from __future__ import annotations

import pytest
from django.utils import translation

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, OrgUnit
from tabyin.reports.cases import selectors as selectors_staff
from tabyin.reports.cases.views import changes
from tabyin.reports.models import Category
from tests import factories

pytestmark = pytest.mark.django_db


def test_codes_in_a_case_history_are_shown_by_their_names() -> None:
    factories.seed_org()
    Category.objects.get_or_create(code="bribery", defaults={"name_fa": "رشوه", "name_en": "Bribery"})
    handler = factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER)
    handler.display_name = "کارشناس حراست تهران"
    handler.save(update_fields=["display_name"])
    unit = OrgUnit.objects.get(code="ir-23-security")
    category = Category.objects.get(code="bribery")
    entry = AuditEntry(
        before={"assignee": None},
        after={
            "category": "bribery",
            "units": ["ir-23-security", "gone-unit"],
            "assignee": "tehran.security",
        },
    )

    with translation.override("fa"):
        rows = changes(entry.before, entry.after, selectors_staff.history_names([entry], "fa"))
        shown = [(str(label), before, after) for label, before, after in rows]

    assert shown == [
        ("کارشناس مسئول", "—", "کارشناس حراست تهران"),
        ("نوع گزارش", None, category.name_fa),
        ("واحدهای دریافت‌کننده", None, f"{unit.name_fa}، gone-unit"),
    ]


def test_a_code_without_a_name_is_kept_as_it_is() -> None:
    with translation.override("fa"):
        rows = changes({}, {"category": "bribery"})
        shown = [(str(label), before, after) for label, before, after in rows]

    assert shown == [("نوع گزارش", None, "bribery")]

"""Audit entries read as sentences, in Persian: labels for codes, names for units and people,
Jalali dates and Persian digits; the stored entry keeps its codes."""

from __future__ import annotations

import pytest
from django.utils import translation

from tabyin.core import services
from tabyin.core.audit_text import audit_lines
from tabyin.core.enums import AuditAction, Role
from tabyin.core.models import AuditEntry, OrgUnit, User
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ali() -> User:
    factories.seed_org()
    user = factories.persona("hq.admin", "hq", Role.ADMINISTRATOR)
    user.display_name = "علی رضایی"
    user.save(update_fields=["display_name"])
    return user


def _line(entry: AuditEntry, language: str = "fa") -> tuple[str, tuple[str, ...], str]:
    with translation.override(language):
        (line,) = audit_lines([AuditEntry.objects.get(pk=entry.pk)])
        return line.sentence, tuple(line.changes), line.unit


def test_an_assignment_names_the_person_and_keeps_the_username_in_the_data(ali: User) -> None:
    unit = OrgUnit.objects.get(code="ir-23-security")
    factories.UserFactory(username="tehran.security", display_name="مریم احمدی")
    entry = services.audit_record(
        actor=ali,
        action=AuditAction.UPDATE,
        obj=unit,
        unit=unit,
        before={"assignee": None},
        after={"assignee": "tehran.security"},
    )

    sentence, changes, shown_unit = _line(entry)

    assert sentence == f"«علی رضایی» واحد سازمانی «{unit.name_fa}» را به «مریم احمدی» سپرد"
    assert changes == ("واگذارشده به: از — به مریم احمدی",)
    assert shown_unit == unit.name_fa
    assert AuditEntry.objects.get(pk=entry.pk).after == {"assignee": "tehran.security"}


def test_a_transfer_names_the_units_not_their_codes(ali: User) -> None:
    unit = OrgUnit.objects.get(code="ir-23-security")
    hq = OrgUnit.objects.get(code="hq-security")
    entry = services.audit_record(
        actor=ali,
        action=AuditAction.UPDATE,
        obj=unit,
        unit=unit,
        before={"unit": "ir-23-security", "assignee": "nobody.here"},
        after={"unit": "hq-security", "assignee": None, "reason_note": 12},
    )

    sentence, changes, _unit = _line(entry)

    assert sentence == f"«علی رضایی» واحد سازمانی «{unit.name_fa}» را به «{hq.name_fa}» فرستاد"
    assert changes == (  # sorted by key: assignee, reason_note, unit
        "واگذارشده به: از nobody.here به —",
        "دلیل (یادداشت داخلی): ۱۲",
        f"واحد سازمانی: از {unit.name_fa} به {hq.name_fa}",
    )


def test_an_update_shows_field_labels_choice_labels_and_persian_digits(ali: User) -> None:
    unit = OrgUnit.objects.get(code="ir-16")
    services.org_unit_update(actor=ali, unit=unit, name_en="Ilam Province", kind="branch")
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(unit.pk)).latest("id")

    sentence, changes, _unit = _line(entry)

    assert sentence == f"«علی رضایی» واحد سازمانی «{unit.name_fa}» را تغییر داد"
    # An English name is marked as English (the crawl and screen readers leave it to its language).
    english = '<span lang="en" dir="ltr">{}</span>'
    assert f"نام انگلیسی: از {english.format('Ilam')} به {english.format('Ilam Province')}" in changes
    assert "نوع: از اداره کل استان به شعبه" in changes


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (AuditAction.CREATE, "«علی رضایی» کاربر «x» را ساخت"),
        (AuditAction.DELETE, "«علی رضایی» کاربر «x» را حذف کرد"),
        (AuditAction.GRANT, "«علی رضایی» دسترسی به کاربر «x» را داد"),
        (AuditAction.REVOKE, "«علی رضایی» دسترسی به کاربر «x» را پس گرفت"),
        (AuditAction.LOGIN, "«علی رضایی» وارد سامانه شد"),
        (AuditAction.LOGIN_FAILED, "ورود با نام «علی رضایی» ناموفق بود"),
        (AuditAction.LOGOUT, "«علی رضایی» از سامانه خارج شد"),
        (AuditAction.OTP_ENROLLED, "«علی رضایی» عامل دوم ورود را راه انداخت"),
        (AuditAction.OTP_RESET, "«علی رضایی» عامل دوم ورود کاربر «x» را بازنشانی کرد"),
        (AuditAction.VIEW, "«علی رضایی» کاربر «x» را خواند"),
        (AuditAction.UPDATE, "«علی رضایی» کاربر «x» را تغییر داد"),
    ],
)
def test_every_action_has_its_sentence(ali: User, action: AuditAction, expected: str) -> None:
    target = factories.UserFactory(username="x", display_name="")
    entry = services.audit_record(actor=ali, action=action, obj=target)

    assert _line(entry)[0] == expected


def test_a_state_change_reads_as_a_move_and_none_dates_and_booleans_as_words(ali: User) -> None:
    target = factories.UserFactory(username="x", display_name="")
    moved = services.audit_record(
        actor=ali, action=AuditAction.UPDATE, obj=target, before={"state": "a"}, after={"state": "b"}
    )
    created = services.audit_record(
        actor=None,
        action=AuditAction.CREATE,
        obj=target,
        after={"day": "2026-12-07", "built_at": "2026-12-07T09:30:00+00:00", "late": True, "rows": 1405},
    )

    assert _line(moved)[0] == "«علی رضایی» وضعیت کاربر «x» را از «a» به «b» برد"
    sentence, changes, _unit = _line(created)
    assert sentence == "سامانه کاربر «x» را ساخت".replace("سامانه", "«سامانه»")
    assert changes == (  # sorted by key: built_at, day, late, rows
        "زمان ساخت: ۱۶ آذر ۱۴۰۵، ۱۳:۰۰",
        "روز: ۱۶ آذر ۱۴۰۵",
        "با تأخیر: بله",
        "ردیف‌ها: ۱٬۴۰۵",
    )


def test_english_pages_read_english(ali: User) -> None:
    target = factories.UserFactory(username="x", display_name="")
    entry = services.audit_record(actor=ali, action=AuditAction.VIEW, obj=target, after={"rows": 1405})

    assert _line(entry, "en")[:2] == ("«علی رضایی» read user «x»", ("rows: 1,405",))


def test_grants_name_the_role_and_the_unit(ali: User) -> None:
    target = factories.UserFactory(username="x", display_name="کاربر 7")
    services.membership_grant(
        actor=ali, user=target, unit=factories.unit("ir-23-security"), role=Role.CASE_HANDLER
    )
    entry = AuditEntry.objects.filter(action=AuditAction.GRANT, object_id=str(target.pk)).get()

    sentence, changes, shown_unit = _line(entry)
    unit = factories.unit("ir-23-security").name_fa

    assert sentence == "«علی رضایی» دسترسی به کاربر «کاربر ۷» را داد"
    assert changes == ("نقش: رسیدگی‌کننده", f"واحد سازمانی: {unit}")
    assert shown_unit == unit


def test_a_failed_log_in_names_what_was_typed() -> None:
    services.auth_event_record(user=None, action=AuditAction.LOGIN_FAILED, username="")
    services.auth_event_record(user=None, action=AuditAction.LOGIN_FAILED, username="mallory")
    empty, typed = AuditEntry.objects.order_by("id")

    assert _line(empty)[0] == "ورود با نام «—» ناموفق بود"
    assert _line(typed)[0] == "ورود با نام «mallory» ناموفق بود"

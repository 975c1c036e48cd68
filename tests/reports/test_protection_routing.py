"""Routing: each report reaches the units the rules name, readable by them, and nobody else."""

from __future__ import annotations

from typing import Any

import pytest

from tabyin.core.models import OrgUnit, User
from tabyin.reports.config import routing
from tabyin.reports.intake.validation import SubmissionError
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import Category, Keyring, Report, ReportFile, ReportRecipient, RoutingRule
from tests import factories
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

# Keys at Tehran's security office and at the three HQ units (fixtures tehran_security and
# hq_units_with_keys); Tehran's board and inspection have none, so they hand over to HQ.
EXPECTED = {
    "bribery": [("hq-violations-board", "no keys yet at ir-23-violations-board"), ("ir-23-security", "rule")],
    "embezzlement": [
        ("hq-violations-board", "no keys yet at ir-23-violations-board"),
        ("ir-23-security", "rule"),
    ],
    "forgery": [("hq-inspection", "no keys yet at ir-23-inspection"), ("ir-23-security", "rule")],
    "leak": [("ir-23-security", "rule")],
    "service_delay": [("hq-inspection", "no keys yet at ir-23-inspection")],
    "discrimination": [("hq-inspection", "no keys yet at ir-23-inspection")],
    "security": [("hq-security", "rule"), ("ir-23-security", "rule")],
    "other": [("hq-inspection", "no keys yet at ir-23-inspection")],
}
ANSWERS = {
    "bribery": {"q_paid": "no"},
    "embezzlement": {"q_ongoing": "no"},
    "forgery": {"q_document": "سابقهٔ بیمه"},
    "leak": {"q_personal_data": "yes"},
    "service_delay": {"q_service": "pension"},
    "discrimination": {},
    "security": {"q_urgent": "no"},
    "other": {},
}


def _route(category: str, province: str | None = "IR-23", **sets: Any) -> list[tuple[str, str]]:
    unit = OrgUnit.objects.get(iso_code=province) if province else None
    routes = routing.route(
        category=Category.objects.get(code=category),
        province=unit,
        concerns=set(sets.get("concerns", ())),
        excluded=set(sets.get("excluded", ())),
    )
    return sorted((r.unit.code, _note(r.note)) for r in routes)


def _note(note: str) -> str:
    """A rule's note without the rule's id: "rule 12" → "rule", "rule 12: why" → "why"."""
    if not note.startswith("rule "):
        return note
    return note.split(": ", 1)[1] if ": " in note else "rule"


def _received(report: Report) -> list[str]:
    return sorted(ReportRecipient.objects.filter(report=report).values_list("unit__code", flat=True))


@pytest.fixture
def keys(tehran_security: User, hq_units_with_keys: dict[str, User]) -> None:
    return None


def test_the_default_categories_are_all_covered() -> None:
    assert sorted(Category.objects.values_list("code", flat=True)) == sorted(EXPECTED)


@pytest.mark.usefixtures("keys")
@pytest.mark.parametrize("category", sorted(EXPECTED))
def test_each_default_category_for_tehran(category: str) -> None:
    assert _route(category) == EXPECTED[category]
    submitted = helpers.submit(category=category, **({"q_paid": ""} | ANSWERS[category]))
    assert _received(submitted.report) == [unit for unit, _ in EXPECTED[category]]


@pytest.mark.usefixtures("keys")
def test_each_recipient_gets_the_content_key_sealed_to_its_own_keyring() -> None:
    submitted = helpers.submit(category="security", q_urgent="yes")
    for recipient in ReportRecipient.objects.filter(report=submitted.report).select_related(
        "unit", "keyring"
    ):
        assert recipient.keyring.unit_id == recipient.unit_id


@pytest.mark.usefixtures("keys")
def test_a_report_naming_the_provincial_security_office_goes_to_hq_security_instead() -> None:
    assert _route("bribery", concerns=["security"]) == [
        ("hq-security", "sent to headquarters"),
        ("hq-violations-board", "no keys yet at ir-23-violations-board"),
    ]
    submitted = helpers.submit(lists={"concerns": ["security"]})
    assert "ir-23-security" not in _received(submitted.report)


@pytest.mark.usefixtures("keys")
def test_a_rule_without_skip_if_named_still_sends_to_the_named_unit() -> None:
    RoutingRule.objects.filter(category__code="leak").update(skip_if_named=False)
    assert _route("leak", concerns=["security"]) == [("ir-23-security", "rule")]


@pytest.mark.abuse
@pytest.mark.usefixtures("keys")
@pytest.mark.parametrize(
    ("excluded", "expected"),
    [
        (["security"], ["hq-violations-board"]),
        (["violations_board"], ["ir-23-security"]),
        (["security", "violations_board"], ["hq-inspection"]),  # fallback: HQ inspection first
    ],
)
def test_excluded_kinds_are_dropped(excluded: list[str], expected: list[str]) -> None:
    assert [unit for unit, _ in _route("bribery", excluded=excluded)] == expected
    submitted = helpers.submit(lists={"excluded": excluded})
    assert _received(submitted.report) == expected


@pytest.mark.abuse
@pytest.mark.usefixtures("keys")
def test_excluding_all_three_kinds_is_refused_and_stores_nothing() -> None:
    with pytest.raises(SubmissionError) as refused:
        helpers.submit(
            lists={"excluded": ["security", "inspection", "violations_board"]}, files=[("a.pdf", helpers.PDF)]
        )
    assert refused.value.errors == {"excluded": ["At least one office must be able to receive your report."]}
    assert not Report.objects.exists() and not ReportFile.objects.exists()


def test_a_unit_without_a_keyring_hands_over_to_hq(hq_units_with_keys: dict[str, User]) -> None:
    assert _route("leak") == [("hq-security", "no keys yet at ir-23-security")]
    submitted = helpers.submit(category="leak", q_paid="", q_personal_data="no")
    recipient = ReportRecipient.objects.get(report=submitted.report)
    assert (recipient.unit.code, helpers.route_note(recipient)) == (
        "hq-security",
        "no keys yet at ir-23-security",
    )


def test_nothing_readable_is_refused_before_anything_is_stored(org: None) -> None:
    with pytest.raises(routing.NoRecipientError):
        _route("bribery")
    with pytest.raises(SubmissionError) as refused:
        helpers.submit(files=[("a.pdf", helpers.PDF)])
    assert refused.value.errors == {
        "excluded": ["No office you allowed can receive this report. Allow at least one more office."]
    }
    assert not Report.objects.exists() and not ReportFile.objects.exists()


@pytest.mark.abuse
def test_when_the_only_readable_unit_is_excluded_the_report_is_refused(tehran_security: User) -> None:
    with pytest.raises(SubmissionError) as refused:
        helpers.submit(category="leak", q_paid="", q_personal_data="no", lists={"excluded": ["security"]})
    assert list(refused.value.errors) == ["excluded"]
    assert not Report.objects.exists()


@pytest.mark.usefixtures("keys")
def test_a_report_about_hq_naming_hq_security_never_reaches_hq_security() -> None:
    assert _route("security", province=None, concerns=["security"]) == [("hq-inspection", "fallback")]
    submitted = helpers.submit(
        category="security", province="hq", place_kind="hq", place_name="", q_paid="", q_urgent="yes",
        lists={"concerns": ["security"]},
    )  # fmt: skip
    assert _received(submitted.report) == ["hq-inspection"]


@pytest.mark.abuse
@pytest.mark.usefixtures("keys")
def test_a_report_about_hq_naming_every_office_is_refused() -> None:
    with pytest.raises(SubmissionError):
        helpers.submit(
            category="security", province="hq", place_kind="hq", q_paid="", q_urgent="yes",
            lists={"concerns": ["security", "inspection", "violations_board"]},
        )  # fmt: skip
    assert not Report.objects.exists()


@pytest.mark.usefixtures("keys")
def test_a_report_about_hq_goes_to_hq_units() -> None:
    assert _route("bribery", province=None) == [("hq-security", "rule"), ("hq-violations-board", "rule")]


@pytest.mark.usefixtures("keys")
def test_a_province_rule_overrides_the_general_rules() -> None:
    tehran = OrgUnit.objects.get(iso_code="IR-23")
    category = Category.objects.get(code="bribery")
    RoutingRule.objects.create(category=category, province=tehran, unit_kind="inspection", level="hq")
    assert _route("bribery") == [("hq-inspection", "rule")]
    assert [u for u, _ in _route("bribery", province="IR-01")] != ["hq-inspection"]


@pytest.mark.usefixtures("keys")
def test_an_inactive_unit_never_receives() -> None:
    OrgUnit.objects.filter(code="ir-23-security").update(is_active=False)
    # The province's unit is inactive: headquarters' unit of the same kind takes the report, as it
    # does for a unit without keys, rather than the general fallback.
    assert _route("leak") == [("hq-security", "no active unit in ir-23")]


@pytest.mark.usefixtures("keys")
def test_an_inactive_rule_is_ignored() -> None:
    RoutingRule.objects.filter(category__code="security", level="hq").update(is_active=False)
    assert _route("security") == [("ir-23-security", "rule")]


@pytest.mark.abuse
@pytest.mark.usefixtures("keys")
def test_an_unknown_or_inactive_category_is_refused() -> None:
    Category.objects.filter(code="other").update(is_active=False)
    for code in ("other", "no-such-category", "' OR 1=1"):
        with pytest.raises(SubmissionError) as refused:
            helpers.submit(category=code)
        assert refused.value.errors == {"category": ["Choose what you are reporting."]}
    assert not Report.objects.exists()


@pytest.mark.usefixtures("keys")
def test_the_units_that_received_can_read_and_others_cannot(tehran_inspection: User) -> None:
    submitted = helpers.submit(category="leak", q_paid="", q_personal_data="yes")
    assert _received(submitted.report) == ["ir-23-security"]
    keyring = Keyring.objects.get(unit__code="ir-23-inspection")
    assert not ReportRecipient.objects.filter(report=submitted.report, keyring=keyring).exists()
    assert services_keys.holds_share(tehran_inspection, keyring)
    assert not services_keys.holds_share(
        tehran_inspection, services_keys.unit_keyring(factories.unit("ir-23-security"))
    )

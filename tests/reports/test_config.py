"""Configuration of reports: categories, questions, rules, units' set-up, routing preview."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, OrgUnit, User
from tabyin.reports.config import services as services_config
from tabyin.reports.models import Category, RoutingRule
from tests import factories
from tests.conftest import verified_client
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

DEFAULTS = Path(services_config.__file__).parents[1] / "data" / "defaults.json"
CANARY = "CANARY-config-7f3a"


def _problems(value: object) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        services_config.questions_check(value)
    return caught.value.messages


def _category_post(category: Category, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_fa": category.name_fa,
        "name_en": category.name_en,
        "description_fa": category.description_fa,
        "description_en": category.description_en,
        "questions": json.dumps(category.questions),
        "retention_days": category.retention_days,
        "reminder_days": category.reminder_days,
        "deadline_days": category.deadline_days,
        "order": category.order,
        "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_default_questions_pass_the_strict_check() -> None:
    for row in json.loads(DEFAULTS.read_text("utf-8"))["categories"]:
        assert services_config.questions_check(row["questions"]) == row["questions"]


@pytest.mark.abuse
def test_malformed_questions_are_refused_with_every_problem_named() -> None:
    assert _problems({"key": "x"}) == ["The questions must be a JSON list: [] or [{…}, {…}]."]
    assert _problems([{}] * 21) == ["At most 20 questions per category."]
    assert _problems(["text"]) == ["Question 1: must be an object {…}."]
    assert _problems(
        [
            {"key": "Paid!", "type": "essay", "required": "yes", "label_fa": "", "label_en": "x", "js": 1},
        ]
    ) == [
        "Question 1: unknown fields: js.",
        "Question 1: «key» must be 1 to 40 lower-case letters, digits or _, starting with a letter.",
        "Question 1: «type» must be one of text, number, choice, yesno, date.",
        "Question 1: «required» must be true or false.",
        "Question 1: «label_fa» must be a non-empty text.",
    ]


@pytest.mark.abuse
def test_questions_with_broken_choices_or_conditions_are_refused() -> None:
    base = {"label_fa": "پرسش", "label_en": "Question"}
    assert _problems(
        [
            {"key": "paid", "type": "yesno", **base},
            {"key": "paid", "type": "text", **base},
            {"key": "how", "type": "choice", "choices": [["cash", "نقد", "Cash"]], **base},
            {"key": "via", "type": "choice", "choices": [["a", "الف", "A"], ["a", "ب", "B"]], **base},
            {"key": "when", "type": "date", "choices": [], **base},
            {"key": "amount", "type": "number", "show_if": {"paid": "maybe"}, **base},
            {"key": "later", "type": "text", "show_if": {"after": "yes"}, **base},
            {"key": "shape", "type": "choice", "choices": [["<b>", "x", "y"], ["ok", "x", "y"]], **base},
            {"key": "cond", "type": "text", "show_if": [], **base},
        ]
    ) == [
        "Question 2: the key «paid» is used twice.",
        "Question 3: a choice question needs at least 2 choices.",
        "Question 4: the choice «a» appears twice.",
        "Question 5: only a choice question has «choices».",
        "Question 6: «show_if» compares «paid» with an answer it cannot have.",
        "Question 7: «show_if» refers to «after», which is not an earlier question.",
        (
            'Question 8: each choice must be ["value", "Persian label", "English label"] with a value in '
            "lower-case letters, digits and _."
        ),
        'Question 9: «show_if» must look like {"key": "answer"}.',
    ]


def test_an_administrator_edits_a_category_and_the_change_is_audited(hq_admin: User) -> None:
    category = Category.objects.get(code="service_delay")
    questions = [
        *category.questions,
        {"key": "branch_code", "type": "text", "label_fa": "کد شعبه", "label_en": "Branch code"},
    ]
    response = verified_client(hq_admin).post(
        reverse("reports:config-category", args=["service_delay"]),
        _category_post(category, questions=json.dumps(questions), deadline_days=12, retention_days=2000),
    )
    assert response.status_code == 302 and response["Location"] == reverse("reports:config")
    category.refresh_from_db()
    assert (category.deadline_days, category.retention_days, category.questions[-1]["key"]) == (
        12,
        2000,
        "branch_code",
    )
    entry = AuditEntry.objects.get(object_type="reports.category", actor=hq_admin)
    assert entry.action == "update"
    assert entry.before == {"deadline_days": 10, "retention_days": 1825, "questions": questions[:-1]}
    assert entry.after == {"deadline_days": 12, "retention_days": 2000, "questions": questions}


@pytest.mark.abuse
def test_bad_questions_json_is_shown_back_and_nothing_is_saved(hq_admin: User) -> None:
    category = Category.objects.get(code="bribery")
    client = verified_client(hq_admin)
    url = reverse("reports:config-category", args=["bribery"])
    response = client.post(url, _category_post(category, questions='[{"key": "x",'))
    assert response.status_code == 200
    assert response.context["form"].errors["questions"] == [
        "This is not valid JSON (line 1, column 14: Expecting property name enclosed in double quotes)."
    ]
    response = client.post(url, _category_post(category, questions='[{"key": "x", "type": "yesno"}]'))
    assert response.context["form"].errors["questions"] == [
        "Question 1: «label_fa» must be a non-empty text.",
        "Question 1: «label_en» must be a non-empty text.",
    ]
    response = client.post(url, _category_post(category, reminder_days=4000, retention_days=3650))
    assert response.context["form"].errors["reminder_days"] == [
        "The reminder must come before the end of the retention period."
    ]
    response = client.post(url, _category_post(category, deadline_days=0, retention_days=-5))
    assert set(response.context["form"].errors) == {"deadline_days", "retention_days"}
    assert Category.objects.get(code="bribery").questions == category.questions
    assert not AuditEntry.objects.filter(object_type="reports.category").exists()


def test_only_national_administrators_reach_the_settings(
    hq_admin: User, tehran_admin: User, tehran_security: User, custodian: User
) -> None:
    urls = [
        reverse("reports:config"),
        reverse("reports:config-category", args=["bribery"]),
        reverse("reports:config-rules"),
        reverse("reports:config-rule", args=[RoutingRule.objects.first().pk]),  # type: ignore[union-attr]
        reverse("reports:config-units"),
    ]
    for user in (tehran_admin, tehran_security, custodian):
        client = verified_client(user)
        assert [client.get(url).status_code for url in urls] == [403] * 5
        assert client.post(urls[1], _category_post(Category.objects.get(code="bribery"))).status_code == 403
    admin = verified_client(hq_admin)
    assert [admin.get(url).status_code for url in urls] == [200] * 5
    with pytest.raises(PermissionDenied):
        services_config.rule_create(
            actor=tehran_admin,
            category=Category.objects.get(code="bribery"),
            province=None,
            unit_kind="inspection",
            level="hq",
        )


def test_rules_are_added_edited_and_deactivated_with_audit(hq_admin: User) -> None:
    client = verified_client(hq_admin)
    response = client.post(
        reverse("reports:config-rules"),
        {
            "category": "leak",
            "province": "IR-07",
            "unit_kind": "inspection",
            "level": "province",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get(category__code="leak", province__iso_code="IR-07")
    assert (rule.unit_kind, rule.level, rule.skip_if_named, rule.is_active) == (
        "inspection",
        "province",
        False,
        True,
    )
    response = client.post(
        reverse("reports:config-rule", args=[rule.pk]),
        {
            "category": "leak",
            "province": "IR-07",
            "unit_kind": "inspection",
            "level": "hq",
            "skip_if_named": "on",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.level, rule.skip_if_named, rule.is_active) == ("hq", True, False)
    entries = list(AuditEntry.objects.filter(object_type="reports.routingrule").order_by("id"))
    assert [(e.action, e.before, e.after) for e in entries] == [
        (
            "create",
            {},
            {
                "category": "leak",
                "province": "ir-07",
                "unit_kind": "inspection",
                "level": "province",
                "skip_if_named": False,
                "is_active": True,
            },
        ),
        (
            "update",
            {"level": "province", "skip_if_named": False, "is_active": True},
            {"level": "hq", "skip_if_named": True, "is_active": False},
        ),
    ]


@pytest.mark.abuse
def test_a_duplicate_or_malformed_rule_is_refused(hq_admin: User) -> None:
    client = verified_client(hq_admin)
    before = RoutingRule.objects.count()
    response = client.post(
        reverse("reports:config-rules"),
        {"category": "bribery", "unit_kind": "security", "level": "province", "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This category already has a rule for this place, unit and level; edit that one."
    ]
    response = client.post(
        reverse("reports:config-rules"),
        {"category": "nope", "province": "IR-99", "unit_kind": "branch", "level": "moon"},
    )
    assert set(response.context["form"].errors) == {"category", "province", "unit_kind", "level"}
    with pytest.raises(ValidationError) as caught:
        services_config.rule_create(
            actor=hq_admin,
            category=Category.objects.get(code="bribery"),
            province=OrgUnit.objects.get(code="hq-security"),
            unit_kind="security",
            level="hq",
        )
    assert caught.value.messages == ["A rule can be limited to a province only."]
    assert RoutingRule.objects.count() == before


def test_the_units_overview_counts_handlers_and_key_holders_only(
    hq_admin: User, tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    # A second Tehran security handler with a key but no share yet, and a board handler without keys.
    factories.persona("tehran.security2", "ir-23-security", Role.CASE_HANDLER)
    helpers.keys_for(User.objects.get(username="tehran.security2"))
    factories.persona("tehran.board", "ir-23-violations-board", Role.CASE_HANDLER)
    helpers.submit(what=f"{CANARY} گزارشی برای آزمودن صفحهٔ تنظیمات که نباید دیده شود.")
    rows = {
        r.unit.code: (r.handlers, r.has_keyring, r.holders)
        for r in services_config.units_overview(actor=hq_admin)
    }
    assert len(rows) == 96
    assert list(rows)[:3] == ["hq-inspection", "hq-security", "hq-violations-board"]
    assert rows["ir-23-security"] == (2, True, 1)
    assert rows["ir-23-violations-board"] == (1, False, 0)
    assert rows["hq-security"] == (1, True, 1)
    assert rows["ir-01-security"] == (0, False, 0)
    client = verified_client(hq_admin)
    for name in ("reports:config", "reports:config-units", "reports:config-rules"):
        page = client.get(reverse(name)).content.decode()
        assert CANARY not in page
    page = client.get(reverse("reports:config-units")).content.decode()
    assert 'data-code="ir-23-security" data-handlers="2" data-keyring="1" data-holders="1"' in page


def test_the_routing_preview_shows_the_receiving_units(
    hq_admin: User, tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    client = verified_client(hq_admin)
    url = reverse("reports:config-rules")

    def preview(**params: Any) -> list[str]:
        response = client.get(url, {"category": "bribery", **params})
        assert response.status_code == 200
        return [r.unit.code for r in response.context["preview"].routes]

    assert preview(province="IR-23") == ["ir-23-security", "hq-violations-board"]
    assert preview(province="IR-23", concerns=["security"]) == ["hq-security", "hq-violations-board"]
    assert preview(province="IR-23", excluded=["security"]) == ["hq-violations-board"]
    assert preview() == ["hq-security", "hq-violations-board"]
    response = client.get(
        url, {"category": "bribery", "excluded": ["security", "violations_board", "inspection"]}
    )
    assert response.context["preview"].refused is True
    assert "No unit could receive this report" in response.content.decode()
    assert (
        not AuditEntry.objects.filter(object_type__startswith="reports.")
        .exclude(object_type="reports.keyring")
        .exclude(object_type="reports.handlerkey")
        .exists()
    )

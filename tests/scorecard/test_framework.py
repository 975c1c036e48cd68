"""The indicator framework: the shipped default, its JSON format, versions, freezing and editing."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tabyin.core.enums import AuditAction, Role
from tabyin.core.models import AuditEntry, User
from tabyin.scorecard import scoring
from tabyin.scorecard.enums import FrameworkState
from tabyin.scorecard.framework import format as fmt
from tabyin.scorecard.framework import selectors, services
from tabyin.scorecard.models import Framework, Indicator
from tests import factories

# Section 6 of shared/data/pr-evaluation/reference.md: sub-indicators per main indicator.
SUBS_PER_MAIN = [4, 4, 4, 4, 3, 3, 4, 4, 4, 3, 4, 4, 4, 4, 4, 3]
ZWNJ = "\u200c"

pytestmark = pytest.mark.django_db


@pytest.fixture
def default() -> dict[str, Any]:
    return services.default_framework_data()


@pytest.fixture
def installed(db: Any) -> Framework:
    framework, _created = services.framework_install_default()
    return framework


@pytest.fixture
def hq_evaluator(org: None) -> User:
    return factories.persona("hq.evaluator", "hq", Role.EVALUATOR)


def _sub(framework: Framework, code: str) -> Indicator:
    return Indicator.objects.get(framework=framework, code=code)


# --- The default framework -----------------------------------------------------------------------


def test_default_has_the_references_16_main_and_60_sub_indicators(default: dict[str, Any]) -> None:
    mains = default["indicators"]
    assert [m["code"] for m in mains] == [f"M{i:02}" for i in range(1, 17)]
    assert [len(m["children"]) for m in mains] == SUBS_PER_MAIN
    subs = [s for m in mains for s in m["children"]]
    assert [s["code"] for s in subs] == [f"S{i:02}" for i in range(1, 61)]
    codes = [m["code"] for m in mains] + [s["code"] for s in subs]
    assert len(codes) == len(set(codes)) == 76
    # Names verbatim from the reference, ZWNJ included.
    assert mains[4]["name_fa"] == "مقابله با شایعه"
    assert subs[22]["name_fa"] == "پاسخ به درخواست‌های دسترسی آزاد به اطلاعات در مهلت ۱۰ روز"
    assert subs[17]["name_fa"] == f"سهم شایعات پاسخ{ZWNJ}داده{ZWNJ}شده"


def test_default_weights_add_up_to_100(default: dict[str, Any]) -> None:
    mains = default["indicators"]
    assert sum(m["weight"] for m in mains) == 100
    # The three the issue names weigh most.
    heaviest = sorted(mains, key=lambda m: -m["weight"])[:3]
    assert {m["code"] for m in heaviest} == {"M02", "M05", "M08"}
    assert [sum(s["weight"] for s in m["children"]) for m in mains] == [100] * 16


def test_every_default_sub_indicator_passes_the_engines_check(default: dict[str, Any]) -> None:
    mains = [scoring.MainSpec(m["code"], float(m["weight"])) for m in default["indicators"]]
    for main in default["indicators"]:
        for sub in main["children"]:
            spec = scoring.SubSpec(
                code=sub["code"],
                parent=main["code"],
                kind=sub["kind"],
                direction=sub["direction"],
                normalization=sub["normalization"],
                weight=float(sub["weight"]),
                target=sub.get("target"),
            )
            scoring.check_framework(mains, [spec])


def test_default_types_follow_the_house_rules(default: dict[str, Any]) -> None:
    subs = {s["code"]: s for m in default["indicators"] for s in m["children"]}
    for code, s in subs.items():
        assert s["definition_fa"] and s["definition_en"], code
        assert s["evidence_fa"] and s["evidence_en"], code
        if s["kind"] == "duration":
            assert (s["direction"], s["normalization"], s["unit_en"]) == ("lower", "target", "hours"), code
        if s["kind"] == "count":
            assert s["normalization"] == "minmax", code
        if s["kind"] in ("yes_no", "rubric"):
            assert s["normalization"] == "scale", code
        if s["kind"] != "count":
            assert s["denominator"] == "none", code
    assert subs["S17"]["target"] == 24
    assert subs["S03"]["target"] == 0.2  # the bylaw's floor of 2 per thousand
    assert {c for c, s in subs.items() if s["source"] == "computed"} == {"S26", "S32"}
    assert subs["S26"]["metric"] == "portal.explanations_published"
    assert (subs["S26"]["normalization"], subs["S26"]["denominator"]) == ("minmax", "none")
    assert not subs["S26"]["evidence_required"]
    # Face-to-face dialogue meetings come from reception's meetings (issue 17).
    assert subs["S32"]["metric"] == "reception.meetings_held"
    assert (subs["S32"]["normalization"], subs["S32"]["denominator"]) == ("minmax", "covered_100k")
    assert not subs["S32"]["evidence_required"]
    for code in ("S17", "S18", "S19", "S27"):
        assert "Will be computed by the platform" in subs[code]["definition_en"], code
        assert subs[code]["source"] == "entered"


def test_default_persian_text_is_written_correctly(default: dict[str, Any]) -> None:
    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            texts.extend(v for k, v in node.items() if k.endswith("_fa") and isinstance(v, str))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(default)
    assert len(texts) > 270
    missing_zwnj = re.compile(r"(^|\s)(ن?می)\s|\s(ها|های|ای|اند|تر|ترین)(\s|$|[،.؛])")
    for text in texts:
        assert not re.search("[يك]", text), text  # Arabic yeh and kaf
        assert not missing_zwnj.search(text), text


# --- The JSON format -----------------------------------------------------------------------------


def test_export_of_load_is_the_file_exactly(installed: Framework, default: dict[str, Any]) -> None:
    exported = services.framework_export(installed)
    assert exported == default
    text = services.DEFAULT_PATH.read_text(encoding="utf-8")
    assert json.dumps(exported, ensure_ascii=False, indent=2) + "\n" == text


def test_install_is_idempotent_and_keeps_edits(installed: Framework, hq_admin: User) -> None:
    assert (
        Indicator.objects.filter(framework=installed, parent=None).count(),
        installed.indicators.count(),
    ) == (
        16,
        76,
    )
    assert installed.state == FrameworkState.DRAFT
    services.indicator_update(actor=hq_admin, indicator=_sub(installed, "S17"), target="12")
    again, created = services.framework_install_default()
    assert (again.pk, created) == (installed.pk, False)
    assert Framework.objects.count() == 1
    assert _sub(installed, "S17").target == Decimal("12")


def _bad(default: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(json.dumps(default))
    data["version"] = 9
    m01 = data["indicators"][0]
    m01["children"][0]["kind"] = "percentage"
    m01["children"][1]["code"] = "S03"
    m01["children"][2]["weight"] = -1
    m01["children"][2]["normalization"] = "target"
    del m01["children"][2]["target"]
    m01["children"][3]["normalization"] = "scale"  # S04 is a count
    data["indicators"][1]["colour"] = "red"
    del data["indicators"][1]["children"][0]["unit_en"]
    data["indicators"][2]["children"][0]["weight"] = "۱۲٫۵"  # typed text is read too
    return data


def test_load_reports_every_problem_at_once_and_stores_nothing(default: dict[str, Any]) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.framework_load(actor=None, data=_bad(default))
    messages = caught.value.messages
    assert (
        "M01 › S01 › kind: Unknown value “percentage”; use one of: rate, count, duration, yes_no, rubric."
        in messages
    )
    assert "M01 › S03: the code “S03” is used more than once." in messages
    assert "M01 › S03 › weight: The weight cannot be negative." in messages
    scale = "A count or a duration has no fixed scale: use distance to target or min–max."
    assert f"M01 › S04 › normalization: {scale}" in messages
    assert "M02: unknown key “colour”." in messages
    assert "M02 › S05: the key “unit_en” is missing." in messages
    assert Framework.objects.count() == 0


def test_load_refuses_a_target_rule_without_a_target(default: dict[str, Any]) -> None:
    data = json.loads(json.dumps(default))
    del data["indicators"][4]["children"][0]["target"]  # S17, distance to 24 hours
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.framework_load(actor=None, data=data)
    assert caught.value.messages == ["M05 › S17 › target: Distance-to-target normalization needs a target."]


def test_load_reads_persian_digits_and_refuses_an_existing_version(default: dict[str, Any]) -> None:
    data = json.loads(json.dumps(default))
    data["indicators"][0]["weight"] = "۱۲٫۵"
    framework = services.framework_load(actor=None, data=data)
    assert Indicator.objects.get(framework=framework, code="M01").weight == Decimal("12.5")
    assert services.framework_export(framework)["indicators"][0]["weight"] == 12.5
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.framework_load(actor=None, data=default)
    assert caught.value.messages == ["Framework “sso-pr” version 1 already exists."]


def test_only_hq_managers_load(default: dict[str, Any], tehran_officer: User, hq_analyst: User) -> None:
    for user in (tehran_officer, hq_analyst):
        with pytest.raises(PermissionDenied):
            services.framework_load(actor=user, data=default)
    assert Framework.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("۱۲٫۵", "12.5"),
        ("12.5", "12.5"),
        ("۱۲/۵", "12.5"),
        ("١٢", "12"),
        ("1,000", "1000"),
        ("۱٬۰۰۰٫۲۵", "1000.25"),
    ],
)
def test_numbers_are_read_whatever_keyboard_typed_them(typed: str, number: str) -> None:
    assert fmt.parse_decimal(typed) == Decimal(number)


@pytest.mark.parametrize("typed", ["12,5", "abc", "", "1,00", "NaN", "Infinity", "۱۲٫۵٫۱"])
def test_what_is_not_a_number_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        fmt.parse_decimal(typed)


# --- Versions ------------------------------------------------------------------------------------


def test_revise_copies_everything_into_the_next_version(installed: Framework, hq_admin: User) -> None:
    new = services.framework_revise(
        actor=hq_admin, framework=installed, change_note="Rumour answers: 12 hours."
    )
    assert (new.version, new.state, new.based_on_id, new.created_by) == (
        2,
        FrameworkState.DRAFT,
        installed.pk,
        hq_admin,
    )
    old_data, new_data = services.framework_export(installed), services.framework_export(new)
    assert new_data == {**old_data, "version": 2, "change_note": "Rumour answers: 12 hours."}
    assert selectors.framework_diff(installed, new) == []
    entry = AuditEntry.objects.get(
        action=AuditAction.CREATE, object_type="scorecard.framework", object_id=str(new.pk)
    )
    assert entry.after == {
        "code": "sso-pr",
        "version": 2,
        "based_on": 1,
        "change_note": "Rumour answers: 12 hours.",
    }
    third = services.framework_revise(actor=hq_admin, framework=installed, change_note="Another branch.")
    assert third.version == 3  # the next number of the code, whichever version it starts from


def test_revise_needs_a_note_and_a_manager(
    installed: Framework, hq_admin: User, tehran_officer: User
) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.framework_revise(actor=hq_admin, framework=installed, change_note="  ")
    assert caught.value.message_dict == {"change_note": ["Say what the new version changes and why."]}
    with pytest.raises(PermissionDenied):
        services.framework_revise(actor=tehran_officer, framework=installed, change_note="x")
    assert Framework.objects.count() == 1


def test_freeze_is_idempotent_and_audited_once(installed: Framework) -> None:
    services.framework_freeze(framework=installed)
    services.framework_freeze(framework=installed)
    installed.refresh_from_db()
    assert installed.state == FrameworkState.FROZEN
    entries = AuditEntry.objects.filter(object_type="scorecard.framework", action=AuditAction.UPDATE)
    assert [(e.before, e.after) for e in entries] == [({"state": "draft"}, {"state": "frozen"})]


def test_update_is_refused_on_a_frozen_version(installed: Framework, hq_admin: User) -> None:
    services.framework_freeze(framework=installed)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.indicator_update(actor=hq_admin, indicator=_sub(installed, "S17"), target="12")
    assert caught.value.messages == [
        "This framework version is frozen: a period uses it. Make a new version to change it."
    ]
    assert _sub(installed, "S17").target == Decimal("24")


def test_update_of_a_draft_is_audited_with_before_and_after(installed: Framework, hq_evaluator: User) -> None:
    updated = services.indicator_update(
        actor=hq_evaluator,
        indicator=_sub(installed, "S17"),
        weight="۱۲٫۵",
        target="۱۲",
        name_en="Rumour answer time",
    )
    assert (updated.weight, updated.target, updated.name_en) == (
        Decimal("12.5"),
        Decimal("12"),
        "Rumour answer time",
    )
    row = _sub(installed, "S17")
    assert (row.weight, row.target) == (Decimal("12.5"), Decimal("12"))
    entry = AuditEntry.objects.get(
        action=AuditAction.UPDATE, object_type="scorecard.indicator", object_id=str(row.pk)
    )
    assert entry.actor == hq_evaluator
    assert entry.before == {"weight": "40", "target": "24", "name_en": "Time to answer a rumour"}
    assert entry.after == {"weight": "12.5", "target": "12", "name_en": "Rumour answer time"}


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"weight": "-1"}, {"weight": ["The weight cannot be negative."]}),
        ({"target": "abc"}, {"target": ["“abc” is not a number."]}),
        ({"target": ""}, {"target": ["Distance-to-target normalization needs a target."]}),
        ({"weight": "0.0001"}, {"weight": ["Use at most 3 decimal places."]}),
        (
            {"normalization": "scale"},
            {
                "normalization": [
                    "A count or a duration has no fixed scale: use distance to target or min–max."
                ]
            },
        ),
        ({"denominator": "pr_staff"}, {"denominator": ["Only a count is divided by a denominator."]}),
        ({"source": "computed"}, {"metric": ["A computed indicator needs the name of a platform metric."]}),
    ],
)
def test_bad_values_are_refused_by_field_and_change_nothing(
    installed: Framework, hq_admin: User, changes: dict[str, str], errors: dict[str, list[str]]
) -> None:
    before = services.framework_export(installed)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.indicator_update(actor=hq_admin, indicator=_sub(installed, "S17"), **changes)
    assert caught.value.message_dict == errors
    assert services.framework_export(installed) == before
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()


def test_zero_weights_for_a_whole_level_are_refused(installed: Framework, hq_admin: User) -> None:
    for code in ("S17", "S18"):
        services.indicator_update(actor=hq_admin, indicator=_sub(installed, code), weight="0")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.indicator_update(actor=hq_admin, indicator=_sub(installed, "S19"), weight="0")
    assert caught.value.message_dict == {
        "weight": ["The weights of this main indicator's sub-indicators would add up to zero."]
    }


def test_only_managers_update(installed: Framework, tehran_officer: User, hq_analyst: User) -> None:
    for user in (tehran_officer, hq_analyst):
        with pytest.raises(PermissionDenied):
            services.indicator_update(actor=user, indicator=_sub(installed, "S17"), target="12")


def test_a_main_indicator_has_only_names_a_definition_and_a_weight(
    installed: Framework, hq_admin: User
) -> None:
    main = _sub(installed, "M05")
    services.indicator_update(actor=hq_admin, indicator=main, weight="12")
    assert _sub(installed, "M05").weight == Decimal(12)
    with pytest.raises(TypeError):
        services.indicator_update(actor=hq_admin, indicator=main, kind="rate")


# --- Reading -------------------------------------------------------------------------------------


def test_specs_are_the_engine_inputs_in_one_query(installed: Framework) -> None:
    with CaptureQueriesContext(connection) as queries:
        mains, subs, bands = services.framework_specs(installed)
    assert len(queries) == 1
    assert (len(mains), len(subs)) == (16, 60)
    assert mains[4] == scoring.MainSpec("M05", 10.0)
    assert subs[16] == scoring.SubSpec("S17", "M05", "duration", "lower", "target", 40.0, 24.0)
    assert bands == [
        scoring.Band("leading", 80.0),
        scoring.Band("active", 60.0),
        scoring.Band("semi_active", 40.0),
        scoring.Band("inactive", 0.0),
    ]
    scoring.check_framework(mains, subs)


def test_tree_and_table_take_one_query(installed: Framework) -> None:
    with CaptureQueriesContext(connection) as queries:
        tree = selectors.framework_tree(installed)
        table = selectors.framework_table(installed)
    assert len(queries) == 2
    assert [(m.code, [s.code for s in subs]) for m, subs in tree][4] == ("M05", ["S17", "S18", "S19"])
    assert (table[4].share, [s.share for s in table[4].subs]) == (
        Decimal("10.0"),
        [Decimal(40), Decimal(30), Decimal(30)],
    )
    assert table[6].subs[3].indicator.code == "S26"


def test_diff_lists_what_changed(installed: Framework, hq_admin: User) -> None:
    new = services.framework_revise(actor=hq_admin, framework=installed, change_note="Faster rumour answers.")
    services.indicator_update(actor=hq_admin, indicator=_sub(new, "S17"), target="12", weight="50")
    services.indicator_update(actor=hq_admin, indicator=_sub(new, "M16"), name_en="Publications and events")
    changes = selectors.framework_diff(installed, new)
    assert [(c.code, c.kind, c.field, c.before_text, c.after_text) for c in changes] == [
        ("S17", "changed", "target", "24", "12"),
        ("S17", "changed", "weight", "40", "50"),
        (
            "M16",
            "changed",
            "name_en",
            "Publications, events and cultural activities",
            "Publications and events",
        ),
    ]

"""Migration 0004: an installed default framework takes S32 ← reception.meetings_held only where no
figure changes (a draft whose S32 is still the shipped entered one); a frozen version keeps it."""

from __future__ import annotations

import copy
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps

from tabyin.scorecard.enums import DataSource, FrameworkState
from tabyin.scorecard.framework.services import default_framework_data, framework_load
from tabyin.scorecard.models import Indicator

pytestmark = pytest.mark.django_db
migration = import_module("tabyin.scorecard.migrations.0004_s32_meetings_computed")


def _as_before(version: int) -> dict[str, Any]:
    """The default framework as shipped before S32 was computed."""
    data = copy.deepcopy(default_framework_data())
    data["version"] = version
    for main in data["indicators"]:
        for sub in main["children"]:
            if sub["code"] == "S32":
                sub.update(source="entered", evidence_required=True, evidence_fa="صورت‌جلسه‌ها")
                sub.update(evidence_en="The minutes")
                sub.pop("metric")
    return data


def test_the_shipped_s32_and_the_migration_say_the_same() -> None:
    s32 = next(s for m in default_framework_data()["indicators"] for s in m["children"] if s["code"] == "S32")
    assert (s32["source"], s32["metric"]) == ("computed", migration.METRIC)
    assert (s32["definition_fa"], s32["definition_en"]) == (migration.DEFINITION_FA, migration.DEFINITION_EN)


def test_a_draft_default_is_switched_and_a_frozen_one_kept() -> None:
    frozen = framework_load(actor=None, data=_as_before(1))
    frozen.state = FrameworkState.FROZEN
    frozen.save(update_fields=["state"])
    draft = framework_load(actor=None, data=_as_before(2))
    migration.forwards(apps, None)
    rows = dict(Indicator.objects.filter(code="S32").values_list("framework__version", "source"))
    assert rows == {1: DataSource.ENTERED, 2: DataSource.COMPUTED}
    s32 = Indicator.objects.get(framework=draft, code="S32")
    assert (s32.metric, s32.evidence_required, s32.evidence_en) == (
        "reception.meetings_held",
        False,
        "None: the platform computes it",
    )
    assert Indicator.objects.get(framework=frozen, code="S32").evidence_en == "The minutes"

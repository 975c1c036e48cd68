"""What the monitor offers other apps through core's registry: the coverage of an announcement
(a story's posts or posts naming terms, in a window, without our own channels, scoped by
province) and the one-step draft answer to a wrong claim."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tabyin.core.enums import Role
from tabyin.core.models import OrgUnit, User
from tabyin.core.registry import CoverageQuery, registry
from tabyin.monitor.enums import ResponseStatus
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Response, Source, Story
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.responses import services as services_responses
from tests import factories
from tests.monitor.answering import T0, ingest_rumor

pytestmark = pytest.mark.usefixtures("answering")


def test_coverage_of_a_story_and_of_terms(org: None) -> None:
    story = ingest_rumor()
    services_ingest.ingest(
        [
            RawPost(
                "telegram:other", "1", "وام ضروری بازنشستگان پرداخت شد", T0 + timedelta(hours=3), views=40
            ),
            RawPost(
                "telegram:ours", "1", "وام ضروری بازنشستگان پرداخت شد", T0 + timedelta(hours=4), views=90
            ),
            RawPost("telegram:late", "1", "وام ضروری بازنشستگان", T0 + timedelta(days=9), views=10),
        ]
    )
    Source.objects.filter(handle="ours").update(is_owned=True)
    Source.objects.filter(handle="akhbar_rooz").update(province=OrgUnit.objects.get(iso_code="IR-23"))
    query = CoverageQuery(start=T0, end=T0 + timedelta(days=7), story_key=story.key, terms=("وام ضروری",))
    found = registry.coverage_for(query)
    assert [(p.channel, p.reach, p.story_key == story.key) for p in found] == [
        ("hostile_news", 5000, True),
        ("akhbar_rooz", 1200, True),
        ("khabar_fori", 300, True),
        ("other", 40, False),
    ]
    tehran = frozenset({OrgUnit.objects.get(iso_code="IR-23").pk})
    scoped = registry.coverage_for(
        CoverageQuery(start=T0, end=T0 + timedelta(days=7), story_key=story.key, province_ids=tehran)
    )
    assert [p.channel for p in scoped] == ["akhbar_rooz"]


def test_a_draft_answer_in_one_step(org: None, hq_analyst: User) -> None:
    story = ingest_rumor()
    assert registry.response_opener is not None
    url = registry.response_opener(hq_analyst, story.key, "اصلاح", "آنچه اعلام شد")
    draft = Response.objects.get()
    assert url == reverse("monitor:response", args=[draft.pk])
    assert (draft.status, draft.title, Story.objects.get(pk=story.pk).is_rumor) == (
        ResponseStatus.DRAFT,
        "اصلاح",
        True,
    )
    # An answer under way is returned as it is, never overwritten.
    services_responses.response_submit(actor=hq_analyst, response=draft)
    again = services_responses.response_draft_for_claim(
        actor=hq_analyst, story_key=story.key, title="x", body="y"
    )
    assert (again.pk, again.title, again.status) == (draft.pk, "اصلاح", ResponseStatus.IN_REVIEW)
    officer = factories.persona("tehran.officer", "ir-23", Role.PROVINCIAL_OFFICER)
    with pytest.raises(PermissionDenied):
        registry.response_opener(officer, story.key, "اصلاح", "متن")

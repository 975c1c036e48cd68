"""The portal through core's registry: a published indicator by province and month becomes a
campaign's outcome, and a published data release becomes a draft announcement in the standing
«اطلاعیه‌ها» campaign that waits for a senior manager (campaigns never imports the portal)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tabyin.campaigns.outbox import services as outbox
from tabyin.campaigns.outbox.models import Message
from tabyin.campaigns.plan import services
from tabyin.campaigns.plan.models import Campaign
from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, User
from tabyin.core.registry import registry
from tabyin.portal.enums import FigureStatus, ReleaseState
from tabyin.portal.models import Dataset, Release
from tabyin.portal.release.services import release_publish, release_upload
from tests import factories
from tests.conftest import verified_client
from tests.portal.factories import install_catalog

pytestmark = pytest.mark.django_db
INDICATOR = "covered-people"


@pytest.fixture
def publisher(org: None) -> User:
    install_catalog()
    return factories.persona("hq.publisher", "hq", Role.DATA_PUBLISHER)


def _upload(actor: User, rows: list[tuple[str, str, int]]) -> Release:
    dataset = Dataset.objects.get(indicators__code=INDICATOR)
    content = (
        "indicator,area,period,value\n" + "".join(f"{INDICATOR},{a},{p},{v}\n" for a, p, v in rows)
    ).encode()
    release = release_upload(
        actor=actor, dataset=dataset, file_name="coverage.csv", content=content, status=FigureStatus.FINAL
    )
    assert release.state == ReleaseState.VALIDATED, release.report
    return release


ROWS = [
    ("IR", "1404-12", 900), ("IR-23", "1404-12", 500), ("IR-10", "1404-12", 120), ("IR-11", "1404-12", 70),
    ("IR", "1405-01", 910), ("IR-23", "1405-01", 510), ("IR-10", "1405-01", 125), ("IR-11", "1405-01", 71),
]  # fmt: skip


def test_the_outcome_comes_from_a_published_indicator(
    hq_analyst: User, publisher: User, campaign: Campaign, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        release_publish(actor=publisher, release=_upload(publisher, ROWS))
    _upload(publisher, [("IR-23", "1405-02", 999)])  # validated, never published: not offered
    assert [(r.key, r.label) for r in registry.series_catalog()] == [
        (f"portal:{INDICATOR}", "جمعیت زیر پوشش")
    ]
    client = verified_client(hq_analyst)
    page = client.get(f"/staff/campaigns/{campaign.pk}/").content.decode()
    assert 'data-testid="outcome-series"' in page
    response = client.post(
        f"/staff/campaigns/{campaign.pk}/outcome/series/", {"series": f"portal:{INDICATOR}"}
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.outcome_source == f"portal:{INDICATOR}"
    # Only the campaign's provinces (IR-23, IR-10), never the national row nor IR-11.
    assert sorted(campaign.outcome.values_list("province__iso_code", "month", "value")) == [
        ("IR-10", date(2026, 2, 20), 120.0),
        ("IR-10", date(2026, 3, 21), 125.0),
        ("IR-23", date(2026, 2, 20), 500.0),
        ("IR-23", date(2026, 3, 21), 510.0),
    ]
    entries = AuditEntry.objects.filter(
        object_type="campaigns.campaign", actor=hq_analyst, action="update"
    ).order_by("pk")
    assert [e.after for e in entries] == [{"outcome_values": 4}, {"outcome_source": f"portal:{INDICATOR}"}]
    page = client.get(f"/staff/campaigns/{campaign.pk}/").content.decode()
    assert "«جمعیت زیر پوشش»" in page


def test_an_unknown_series_or_one_without_the_provinces_is_refused(
    hq_analyst: User, publisher: User, campaign: Campaign
) -> None:
    client = verified_client(hq_analyst)
    assert (
        client.post(f"/staff/campaigns/{campaign.pk}/outcome/series/", {"series": "portal:nope"}).status_code
        == 400
    )
    with pytest.raises(ValidationError) as refused:
        services.outcome_from_series(actor=hq_analyst, campaign=campaign, key="portal:nope")
    assert refused.value.message_dict == {"series": ["این سری منتشرشده در دسترس نیست."]}
    assert campaign.outcome.count() == 0


def test_a_published_release_becomes_a_draft_announcement_a_senior_manager_approves(
    publisher: User, manager: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TABYIN_SITE_URL = "https://tamin.example"
    release = _upload(publisher, ROWS)
    assert Message.objects.count() == 0  # an upload announces nothing
    with django_capture_on_commit_callbacks(execute=True):
        release_publish(actor=publisher, release=release)
    message = Message.objects.get()
    assert (message.campaign.title, message.campaign.standing) == ("اطلاعیه‌ها", True)
    assert message.title == "ارقام تازه: " + release.dataset.title_fa
    assert message.body == (
        f"ارقام تازه «{release.dataset.title_fa}» (اسفند ۱۴۰۴ تا فروردین ۱۴۰۵) در سامانهٔ شفافیت منتشر شد.\n\n"
        f"https://tamin.example/data/{release.dataset.slug}/"
    )
    assert (message.state, message.author) == ("draft", publisher)
    with pytest.raises(PermissionDenied):
        outbox.message_approve(actor=publisher, message=message)
    approved = outbox.message_approve(actor=manager, message=message)
    assert approved.state == "released"
    assert approved.deliveries.count() >= 1
    assert verified_client(manager).get(f"/staff/campaigns/messages/{message.pk}/").status_code == 200

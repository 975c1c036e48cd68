"""Key messages with the database: the coverage the monitor gives through core's registry, the
figures of the managers' page (exact), the province scope, the misreading cluster answered in one
step through the monitor's workflow, and a key message with no fact refused in Persian."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from tabyin.core.enums import AuditAction
from tabyin.core.models import AuditEntry, OrgUnit, User
from tabyin.monitor.enums import ResponseStatus
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Response, Source, Story
from tabyin.monitor.pipeline.types import RawPost
from tabyin.reception.messages import selectors, services
from tabyin.reception.messages.enums import AnnouncementKind
from tabyin.reception.messages.models import Announcement, ClusterAnswer, KeyMessage
from tests.conftest import verified_client
from tests.reception.polls_helpers import page_text

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
MESSAGE = "از ۱۵ فروردین ۱۴۰۵ فقط حداقل‌بگیران مشمول افزایش ۲۰ درصدی مستمری می‌شوند."
RIGHT = "فقط حداقل‌بگیران از ۱۵ فروردین ۱۴۰۵ مشمول افزایش ۲۰ درصدی مستمری می‌شوند"
WRONG = "از ۱۵ فروردین ۱۴۰۵ فقط حداقل‌بگیران مشمول افزایش ۳۰ درصدی مستمری می‌شوند"


def _world(analyst: User) -> Announcement:
    services_ingest.ingest(
        [
            RawPost("telegram:before", "1", RIGHT, T0 - timedelta(days=1), views=9999),
            RawPost("telegram:tehran_news", "1", RIGHT, T0 + timedelta(hours=1), views=1000),
            RawPost("telegram:rumor_one", "1", WRONG, T0 + timedelta(days=1), views=5000),
            RawPost("telegram:rumor_two", "1", "🔴 " + WRONG, T0 + timedelta(days=1, hours=1), views=700),
            RawPost(
                "eitaa:other", "1", "حداقل‌بگیران امروز در تهران تجمع کردند", T0 + timedelta(days=2), views=300
            ),
        ]
    )
    Source.objects.filter(handle="tehran_news").update(province=OrgUnit.objects.get(iso_code="IR-23"))
    return services.announcement_create(
        actor=analyst,
        spec=services.AnnouncementSpec(
            title="افزایش مستمری حداقل‌بگیران",
            kind=AnnouncementKind.STATEMENT,
            published_at=T0,
            messages=[MESSAGE],
            terms="حداقل‌بگیران",
            window_days=7,
        ),
    )


def test_the_report_figures(hq_analyst: User) -> None:
    announcement = _world(hq_analyst)
    report = selectors.report(user=hq_analyst, announcement=announcement)
    (message,) = report.messages
    assert (report.posts, report.reach) == (4, 7000)
    assert (message.coverage, message.carried, message.faithful, message.partial, message.distorted) == (
        4,
        3,
        1,
        0,
        2,
    )
    assert (message.pull_through, message.fidelity, message.reach, message.distorted_reach) == (
        0.75,
        1 / 3,
        6700,
        5700,
    )
    assert [(p.day.isoformat(), p.pull_through, p.fidelity) for p in message.series[:3]] == [
        ("2026-11-20", 1.0, 1.0),
        ("2026-11-21", 1.0, 1 / 3),
        ("2026-11-22", 0.75, 1 / 3),
    ]
    (cluster,) = [row.cluster for row in message.clusters]
    assert (cluster.signature, cluster.posts, cluster.wordings, cluster.reach) == (
        "changed|number|20|percent|30|percent",
        2,
        1,
        5700,
    )


def test_the_page_in_persian(hq_analyst: User) -> None:
    announcement = _world(hq_analyst)
    response = verified_client(hq_analyst).get(reverse("reception:staff-message", args=[announcement.pk]))
    text = page_text(response)
    assert response.status_code == 200
    assert "۴ مطلب در ۷ روزِ پس از انتشار، با ۷٬۰۰۰ بار دیده‌شدن." in text
    assert "بازتاب ۷۵٪ ۳ از ۴ مطلب درستی ۳۳٪ ۲ تحریف‌شده" in text
    assert "«۲۰ درصد» شده است «۳۰ درصد» — ۲ مطلب با ۱ گونه نوشتار، ۵٬۷۰۰ بار دیده‌شده" in text
    assert "<mark>۳۰ درصد</mark>" in response.content.decode()
    assert "<mark>۲۰ درصد</mark>" in response.content.decode()
    assert "پاسخ به این برداشت نادرست در پایش رسانه" in text
    listing = verified_client(hq_analyst).get(reverse("reception:staff-messages"))
    assert "افزایش مستمری حداقل‌بگیران" in page_text(listing)


def test_a_provincial_officer_sees_their_province_only(hq_analyst: User, tehran_officer: User) -> None:
    announcement = _world(hq_analyst)
    report = selectors.report(user=tehran_officer, announcement=announcement)
    (message,) = report.messages
    assert (report.posts, message.carried, message.distorted, message.clusters) == (1, 1, 0, [])
    client = verified_client(tehran_officer)
    assert "فقط مطلب‌های منبع‌های استان شما." in page_text(
        client.get(reverse("reception:staff-message", args=[announcement.pk]))
    )
    other = OrgUnit.objects.get(iso_code="IR-04")
    Announcement.objects.filter(pk=announcement.pk).update(province=other)
    assert client.get(reverse("reception:staff-message", args=[announcement.pk])).status_code == 404
    refused = client.post(reverse("reception:staff-messages"), {"title": "x"})
    assert refused.status_code == 403


def test_a_cluster_is_answered_in_one_step_through_the_monitor(hq_analyst: User) -> None:
    announcement = _world(hq_analyst)
    message = KeyMessage.objects.get(announcement=announcement)
    report = selectors.report(user=hq_analyst, announcement=announcement)
    cluster = report.messages[0].clusters[0].cluster
    client = verified_client(hq_analyst)
    url = reverse("reception:staff-message-answer", args=[announcement.pk])
    data = {"message": message.pk, "signature": cluster.signature, "story": cluster.story_key}
    answered = client.post(url, data)
    draft = Response.objects.get()
    assert (answered.status_code, answered["Location"]) == (302, reverse("monitor:response", args=[draft.pk]))
    assert draft.status == ResponseStatus.DRAFT
    assert draft.body == f"آنچه اعلام شد: {MESSAGE}"
    assert Story.objects.get(key=cluster.story_key).is_rumor
    kept = ClusterAnswer.objects.get()
    assert (kept.signature, kept.response_url) == (cluster.signature, answered["Location"])
    assert (
        AuditEntry.objects.filter(action=AuditAction.CREATE, object_type__endswith="clusteranswer").count()
        == 1
    )
    # A second press opens the same answer, nothing new is drafted.
    assert client.post(url, data)["Location"] == answered["Location"]
    assert Response.objects.count() == 1
    page = page_text(client.get(reverse("reception:staff-message", args=[announcement.pk])))
    assert "انجام شد: پاسخی در پایش رسانه آغاز شد" in page


def test_a_key_message_with_no_fact_is_refused_in_persian(hq_analyst: User) -> None:
    client = verified_client(hq_analyst)
    form = {
        "title": "اطلاعیه",
        "kind": "statement",
        "published": "۱۴۰۵/۰۹/۱۵",
        "messages": "مستمری بازنشستگان طبق روال پرداخت می‌شود\nوام ۳۰ میلیون تومانی پرداخت می‌شود",
        "terms": "مستمری",
        "window_days": "14",
    }
    refused = client.post(reverse("reception:staff-messages"), form)
    assert refused.status_code == 400
    text = page_text(refused)
    assert (
        "«مستمری بازنشستگان طبق روال پرداخت می‌شود» هیچ واقعیتِ سنجیدنی ندارد: عدد، تاریخ یا اینکه چه کسانی "
        "مشمول‌اند (مثلاً «فقط»، «همه»، «مشمول») را به آن بیفزایید."
    ) in text
    assert "وام ۳۰ میلیون تومانی پرداخت می‌شود" in refused.content.decode()  # nothing lost
    assert not Announcement.objects.exists()
    form["messages"] = "وام ۳۰ میلیون تومانی از ۱ دی پرداخت می‌شود"
    made = client.post(reverse("reception:staff-messages"), form)
    created = Announcement.objects.get()
    assert made["Location"] == reverse("reception:staff-message", args=[created.pk])
    assert KeyMessage.objects.get().facts == [
        {"kind": "number", "value": "30000000|money", "text": "30 میلیون تومان"},
        {"kind": "date", "value": "0-10-01", "text": "1 دی"},
    ]


def test_an_editor_chooses_the_facts(hq_analyst: User) -> None:
    announcement = _world(hq_analyst)
    message = KeyMessage.objects.get(announcement=announcement)
    client = verified_client(hq_analyst)
    url = reverse("reception:staff-message-edit", args=[announcement.pk, message.pk])
    bad = client.post(url, {"text": MESSAGE, "facts": "۲۰ درصد\nحداقل‌بگیران"})
    assert bad.status_code == 400
    assert "«حداقل‌بگیران» واقعیتی نیست که سنجش بتواند بخواند." in page_text(bad)
    client.post(url, {"text": MESSAGE, "facts": "۲۰ درصد"})
    message.refresh_from_db()
    assert (message.facts, message.facts_edited) == (
        [{"kind": "number", "value": "20|percent", "text": "20 درصد"}],
        True,
    )

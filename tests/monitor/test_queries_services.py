"""Saving watch queries, the seeded defaults, the cached matcher, and the staff pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, User
from tabyin.monitor.enums import QueryKind, Sentiment
from tabyin.monitor.models import Correction, WatchQuery
from tabyin.monitor.pipeline.query import Matcher
from tabyin.monitor.queries import services as services_queries
from tests import factories
from tests.conftest import verified_client
from tests.monitor import builders

pytestmark = pytest.mark.django_db

# watch_keywords of ../shared/data/persian/news_sources/feeds_and_channels.example.yaml
ORGANISATION = [
    "سازمان تأمین اجتماعی",
    "سازمان تامین اجتماعی",
    "تأمین اجتماعی",
    "تامين اجتماعي",
    "تامین‌اجتماعی",
]
AUDIENCES = [
    "بازنشستگان",
    "بازنشستگان تأمین اجتماعی",
    "مستمری‌بگیران",
    "مستمری بگیران",
    "بیمه‌شدگان",
    "بیمه شدگان",
    "کارفرمایان",
]
TOPICS = [
    "حق بیمه", "مستمری", "همسان‌سازی حقوق بازنشستگان", "متناسب‌سازی", "افزایش حقوق بازنشستگان",
    "بیمه تکمیلی", "دفترچه بیمه", "نسخه الکترونیک", "سابقه بیمه", "بیمه بیکاری",
]  # fmt: skip


def names(ids: list[int]) -> set[str]:
    return set(WatchQuery.objects.filter(pk__in=ids).values_list("name", flat=True))


def test_seeding_is_idempotent_and_covers_the_provinces(org: None) -> None:
    first = services_queries.queries_seed_defaults()
    assert first == len(services_queries.DEFAULTS) + 31
    assert services_queries.queries_seed_defaults() == 0
    provinces = WatchQuery.objects.filter(kind=QueryKind.PROVINCE)
    assert provinces.count() == 31
    assert provinces.filter(province__isnull=True).count() == 0
    tehran = provinces.get(province__code="ir-23")
    assert tehran.expression == '"استان تهران" | "تهران"'
    assert provinces.get(province__iso_code="IR-00").expression == '"استان مرکزی" | "اراک"'


def test_seeding_keeps_staff_edits(org: None) -> None:
    services_queries.queries_seed_defaults()
    query = WatchQuery.objects.get(kind=QueryKind.ORGANIZATION)
    query.expression = '"تأمین اجتماعی"'
    query.save()
    services_queries.queries_seed_defaults()
    assert WatchQuery.objects.get(kind=QueryKind.ORGANIZATION).expression == '"تأمین اجتماعی"'


def test_seeded_defaults_match_every_watch_keyword_variant(org: None) -> None:
    services_queries.queries_seed_defaults()
    matcher = services_queries.matcher_current()
    assert not matcher.errors
    for keyword in ORGANISATION:
        assert "سازمان تأمین اجتماعی" in names(matcher.match(f"خبر تازه درباره {keyword} امروز")), keyword
    for keyword in AUDIENCES + TOPICS:
        assert matcher.match(f"گزارش: {keyword}."), keyword
    hits = names(matcher.match("مدیرکل تأمین اجتماعی استان سیستان‌وبلوچستان از پرداخت مستمری خبر داد"))
    assert hits == {"سازمان تأمین اجتماعی", "مدیران کل استان‌ها", "سیستان و بلوچستان", "مستمری"}
    assert names(matcher.match("سازمان تأمین اجتماعی نیروهای مسلح اعلام کرد")) == {
        "سازمان تأمین اجتماعی نیروهای مسلح (ساتا)"
    }
    assert names(matcher.match("بانک مرکزی نرخ سود را اعلام کرد")) == set()


def test_matcher_is_cached_and_rebuilt_when_queries_change(org: None, hq_analyst: User) -> None:
    first = services_queries.matcher_current()
    assert services_queries.matcher_current() is first
    query = services_queries.query_save(
        actor=hq_analyst, name="بیمه بیکاری", kind=QueryKind.SERVICE, expression='"بیمه بیکاری"'
    )
    second = services_queries.matcher_current()
    assert second is not first
    assert second.match("بیمه بیکاری") == [query.pk]


def test_query_save_validates_and_audits(org: None, hq_analyst: User) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services_queries.query_save(actor=hq_analyst, name="x", kind=QueryKind.TOPIC, expression="a (b")
    assert caught.value.message_dict == {"expression": ["The parenthesis is not closed. (at character 3)"]}
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services_queries.query_save(actor=hq_analyst, name="x", kind=QueryKind.PROVINCE, expression="a")
    assert caught.value.message_dict == {"province": ["A province query needs its province."]}
    query = services_queries.query_save(
        actor=hq_analyst, name=" مستمری ", kind=QueryKind.SERVICE, expression=" مستمری "
    )
    assert (query.name, query.expression) == ("مستمری", "مستمری")
    services_queries.query_save(
        actor=hq_analyst, query=query, name="مستمری", kind=QueryKind.SERVICE, expression="مستمری*"
    )
    entry = AuditEntry.objects.filter(object_type="monitor.watchquery").order_by("-id").first()
    assert entry is not None
    assert (entry.action, entry.before, entry.after) == (
        "update",
        {"expression": "مستمری"},
        {"expression": "مستمری*"},
    )


def test_only_configurers_save_queries(org: None, tehran_officer: User) -> None:
    with pytest.raises(PermissionDenied):
        services_queries.query_save(actor=tehran_officer, name="x", kind=QueryKind.TOPIC, expression="x")


def test_pages_list_add_edit_and_try(org: None, hq_analyst: User) -> None:
    client = verified_client(hq_analyst)
    broken = WatchQuery.objects.create(name="خراب", kind=QueryKind.TOPIC, expression="a (")
    page = client.get(reverse("monitor:queries"))
    assert page.status_code == 200
    assert [q.pk for q, error, _points in page.context["queries"] if error] == [broken.pk]

    response = client.post(
        reverse("monitor:query-add"), {"name": "حق بیمه", "kind": "service", "expression": 'حق "بیمه'}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"expression": ["گیومه بسته نشده است. (در نویسهٔ ۴)"]}

    response = client.post(
        reverse("monitor:query-add"),
        {"name": "حق بیمه", "kind": "service", "expression": '"حق بیمه"', "is_active": "on"},
    )
    query = WatchQuery.objects.get(name="حق بیمه")
    assert response.status_code == 302
    assert response["Location"] == reverse("monitor:query-edit", args=[query.pk])

    edit = client.get(reverse("monitor:query-edit", args=[broken.pk]))
    assert edit.context["stored_error"] == "در پایان پرسش یک واژه کم است. (در نویسهٔ ۴)"

    tried = client.post(
        reverse("monitor:query-try"), {"text": "حق‌بیمه کارگران پرداخت نشد", "expression": "کارگران"}
    )
    result = tried.context["result"]
    assert [q.pk for q in result.matched] == [query.pk]
    assert (result.sentiment, result.expression_matches, result.rumor_cues) == ("negative", True, [])


def test_provincial_officer_cannot_open_the_query_pages(org: None, tehran_officer: User) -> None:
    client = verified_client(tehran_officer)
    assert client.get(reverse("monitor:queries")).status_code == 403
    assert client.post(reverse("monitor:query-try"), {"text": "x"}).status_code == 403


def test_correct_records_and_redirects_back_only_to_safe_places(org: None, hq_analyst: User) -> None:
    source = builders.source("akhbarefori")
    story = builders.story()
    post = builders.post(source, story, builders.NOW, text="مستمری‌ها پرداخت شد")
    client = verified_client(hq_analyst)
    back = reverse("monitor:story", args=[story.pk])
    response = client.post(
        reverse("monitor:correct", args=[post.pk]), {"sentiment": "negative", "next": back + "?tab=posts"}
    )
    assert (response.status_code, response["Location"]) == (302, back + "?tab=posts")
    post.refresh_from_db()
    assert (post.sentiment, post.sentiment_score) == (Sentiment.NEGATIVE, -1.0)
    assert Correction.objects.get(post=post).by == hq_analyst
    response = client.post(
        reverse("monitor:correct", args=[post.pk]), {"sentiment": "positive", "next": "https://evil.example/"}
    )
    assert response["Location"] == back
    assert Correction.objects.get(post=post).sentiment == Sentiment.POSITIVE


def test_only_analysts_correct(org: None) -> None:
    manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    post = builders.post(builders.source("c"), builders.story(), builders.NOW, text="x")
    response = verified_client(manager).post(
        reverse("monitor:correct", args=[post.pk]), {"sentiment": "negative"}
    )
    assert response.status_code == 403
    assert not Correction.objects.exists()


def test_matcher_contract_matches_services(org: None) -> None:
    assert isinstance(services_queries.matcher_current(), Matcher)

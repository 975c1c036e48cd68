"""The source pages: exact content for an analyst, the raw download, the forms, 403 for others."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tabyin.core.models import User
from tabyin.monitor.enums import FetchOutcome, SourceStatus
from tabyin.monitor.models import FetchLog, Source
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db
WHEN = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def fa(name: str, *args: object) -> str:
    with translation.override("fa"):
        return reverse(name, args=args)


def _sources() -> tuple[Source, Source, FetchLog]:
    good = Source.objects.create(
        kind="telegram", handle="akhbarefori", name="خبر فوری", host="t.me", status=SourceStatus.OK,
        last_success_at=WHEN, interval_seconds=120, next_poll_at=WHEN, posts_per_day=712.4,
    )  # fmt: skip
    bad = Source.objects.create(
        kind="rss", handle="isna", name="ایسنا", url="https://www.isna.ir/rss", host="www.isna.ir",
        status=SourceStatus.ERROR, last_error="The address returned a web page, not an RSS or Atom feed.",
        consecutive_failures=3, interval_seconds=7200, next_poll_at=WHEN,
    )  # fmt: skip
    failed = FetchLog.objects.create(
        source=bad, started_at=WHEN, outcome=FetchOutcome.ERROR, http_status=200, error=bad.last_error,
        raw=b"<!DOCTYPE html><html>captive portal</html>", raw_content_type="text/html",
    )  # fmt: skip
    FetchLog.objects.create(
        source=good, started_at=WHEN, outcome=FetchOutcome.OK, http_status=200, items=20, new_items=4
    )
    return good, bad, failed


def _rows(client: Client) -> list[list[str]]:
    from selectolax.lexbor import LexborHTMLParser

    html = client.get(en("monitor:sources")).content.decode()
    tree = LexborHTMLParser(html)
    return [
        [" ".join(cell.text(separator=" ").split()) for cell in row.css("th, td")]
        for row in tree.css("[data-testid=source-row]")
    ]


def test_health_page_lists_sources_failing_first(hq_analyst: User) -> None:
    _sources()
    client = verified_client(hq_analyst)
    assert _rows(client) == [
        ["ایسنا isna", "News site (RSS/Atom)", "Failing", "—",
         "The address returned a web page, not an RSS or Atom feed.", "3", "120",
         "12 Ordibehesht 1403, 11:30", "0"],
        ["خبر فوری akhbarefori", "Telegram channel", "Healthy", "12 Ordibehesht 1403, 11:30", "—", "0", "2",
         "12 Ordibehesht 1403, 11:30", "712"],
    ]  # fmt: skip
    persian = client.get(fa("monitor:sources")).content.decode()
    assert "۷۱۲" in persian and "۱۲ اردیبهشت ۱۴۰۳، ۱۱:۳۰" in persian


def test_health_page_reads_a_constant_number_of_queries(
    hq_analyst: User, django_assert_max_num_queries: object
) -> None:
    _sources()
    for n in range(10):
        Source.objects.create(kind="telegram", handle=f"channel{n}", host="t.me")
    client = verified_client(hq_analyst)
    client.get(fa("monitor:sources"))
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get(fa("monitor:sources"))
    assert response.content.decode().count('data-testid="source-row"') == 12


def test_source_page_shows_recent_fetches_and_raw_download(hq_analyst: User) -> None:
    _, bad, failed = _sources()
    client = verified_client(hq_analyst)
    html = client.get(en("monitor:source", bad.pk)).content.decode()
    assert 'data-testid="last-error"' in html
    assert html.count('data-testid="fetch-row"') == 1
    assert fa("monitor:source-raw", failed.pk) in html
    raw = client.get(fa("monitor:source-raw", failed.pk))
    assert (raw.status_code, raw["Content-Type"], raw["Content-Disposition"], raw.content) == (
        200, "application/octet-stream", f'attachment; filename="source-{bad.pk}-fetch-{failed.pk}.txt"',
        b"<!DOCTYPE html><html>captive portal</html>",
    )  # fmt: skip


def test_fetch_without_raw_is_404(hq_analyst: User) -> None:
    good, _, _ = _sources()
    ok = FetchLog.objects.get(source=good)
    assert verified_client(hq_analyst).get(fa("monitor:source-raw", ok.pk)).status_code == 404


def test_add_source_form(hq_admin: User) -> None:
    client = verified_client(hq_admin)
    response = client.post(fa("monitor:source-add"), {"kind": "eitaa", "handle": "tamin_news", "name": ""})
    source = Source.objects.get(kind="eitaa", handle="tamin_news")
    assert (response.status_code, response["Location"]) == (302, fa("monitor:source", source.pk))
    again = client.post(en("monitor:source-add"), {"kind": "eitaa", "handle": "tamin_news"})
    assert "This source is already configured." in again.content.decode()


def test_paste_form_refuses_both_fields(hq_analyst: User) -> None:
    client = verified_client(hq_analyst)
    response = client.post(en("monitor:paste"), {"text": "x", "link": "https://example.org"})
    assert "Paste either a text or a link, not both." in response.content.decode()


@pytest.mark.parametrize("name", ["sources", "source-add", "paste"])
def test_a_provincial_officer_is_refused(tehran_officer: User, name: str) -> None:
    assert verified_client(tehran_officer).get(fa(f"monitor:{name}")).status_code == 403


def test_a_senior_manager_sees_health_but_cannot_download_raw() -> None:
    from tabyin.core.enums import Role
    from tests import factories

    factories.seed_org()
    manager = factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)
    _, bad, failed = _sources()
    client = verified_client(manager)
    assert client.get(fa("monitor:source", bad.pk)).status_code == 200
    assert client.get(fa("monitor:source-raw", failed.pk)).status_code == 403

"""The per-process memo of the publish counters (portal.versions, ADR 0019 "Version memo").

Each web process trusts the counters it last read for ``TABYIN_CACHE_VERSION_TTL_MS``. What must
hold: another process switches to a release within that time and not before it had to; the process
that published sees its release at once; only the released dataset's addresses change; with 0 (the
suite's value) every read goes to the shared cache. A process is its own memo here (the module's
``_memo``, swapped), and time is the module's ``clock``, moved by the test: nothing sleeps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.cache import caches

from tabyin.core.caching.front import Front
from tabyin.portal import versions
from tabyin.portal.enums import FigureStatus, ReleaseState
from tabyin.portal.models import Dataset
from tabyin.portal.release.services import release_publish, release_upload
from tests.portal.test_response_cache import A_ADDRESSES, B_ADDRESSES, NEW_FIGURE, figures, publisher
from tests.portal.test_response_front import Counting, _inside_the_test_transaction, get, header

__all__ = ["_inside_the_test_transaction", "figures", "publisher"]  # fixtures shared

TTL_MS = 100
NEW_PAGE_FIGURE = "۹۸۷٬۶۵۴٬۳۲۱".encode()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[Clock]:
    settings.TABYIN_CACHE_VERSION_TTL_MS = TTL_MS
    fake = Clock()
    monkeypatch.setattr(versions, "clock", fake)
    versions.forget()
    yield fake
    versions.forget()


@contextmanager
def another_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run the block as a second web process: a memo of its own (the shared cache is common)."""
    with monkeypatch.context() as patch:
        patch.setattr(versions, "_memo", versions._Memo())
        yield


def _publish_services(publisher: Any, capture: Callable[..., Any]) -> None:
    csv = f"indicator,area,period,value\noutpatient-services-per-day,IR,1404-04,{NEW_FIGURE}\n"
    release = release_upload(
        actor=publisher,
        dataset=Dataset.objects.get(slug="services"),
        file_name="figures.csv",
        content=csv.encode(),
        status=FigureStatus.FINAL,
    )
    assert release.state == ReleaseState.VALIDATED, release.report
    with capture(execute=True):
        release_publish(actor=publisher, release=release)


def _cache_states(front: Front, urls: tuple[str, ...]) -> dict[str, str]:
    return {url: header(get(front, url), "X-Tabyin-Cache")[0] for url in urls}


def test_another_process_switches_to_a_release_within_the_ttl(
    figures: None,
    publisher: Any,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    django = Counting()
    front = Front(django)
    for url in A_ADDRESSES + B_ADDRESSES:
        get(front, url)
    assert _cache_states(front, A_ADDRESSES + B_ADDRESSES) == dict.fromkeys(A_ADDRESSES + B_ADDRESSES, "hit")
    calls = django.calls

    clock.now += 0.01
    with another_process(monkeypatch):
        _publish_services(publisher, django_capture_on_commit_callbacks)

    # This process read the counters 10 ms ago: it may still answer from its copies...
    clock.now += (TTL_MS - 20) / 1000
    page = get(front, "/indicators/outpatient-services-per-day/")
    assert header(page, "X-Tabyin-Cache") == ["hit"]
    assert NEW_PAGE_FIGURE not in page[2]
    assert django.calls == calls

    # ...and once its memo is TTL old it reads them again: A goes back through Django, B does not.
    clock.now += 0.02
    answers = {url: get(front, url) for url in A_ADDRESSES}
    assert {url: header(a, "X-Tabyin-Cache")[0] for url, a in answers.items()} == dict.fromkeys(
        A_ADDRESSES, "miss"
    )
    assert NEW_PAGE_FIGURE in answers["/indicators/outpatient-services-per-day/"][2]
    rows = answers["/api/v1/datasets/services/rows?area=IR&_size=10"][2]
    assert f'"value": {NEW_FIGURE}'.encode() in rows or f'"value":{NEW_FIGURE}'.encode() in rows
    assert _cache_states(front, B_ADDRESSES) == dict.fromkeys(B_ADDRESSES, "hit")
    assert django.calls == calls + len(A_ADDRESSES)


def test_the_publishing_process_sees_its_release_at_once(
    figures: None,
    publisher: Any,
    clock: Clock,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    django = Counting()
    front = Front(django)
    for url in A_ADDRESSES + B_ADDRESSES:
        get(front, url)
    calls = django.calls

    _publish_services(publisher, django_capture_on_commit_callbacks)  # the clock does not move

    page = get(front, "/indicators/outpatient-services-per-day/")
    assert header(page, "X-Tabyin-Cache") == ["miss"]
    assert NEW_PAGE_FIGURE in page[2]
    assert _cache_states(front, B_ADDRESSES) == dict.fromkeys(B_ADDRESSES, "hit")
    assert django.calls == calls + 1


def test_a_counter_changed_behind_the_memo_is_read_again_after_the_ttl(clock: Clock) -> None:
    """A Redis restart, a restore or a bump whose news never arrived: only the TTL bounds it."""
    shared = caches["shared"]
    shared.set(versions.DATA_VERSION_KEY, 7, timeout=None)
    shared.set(versions.CATALOGUE_KEY, 3, timeout=None)
    assert (versions.data_version(), versions.dataset_versions("services")) == (7, (3, 0))
    shared.clear()  # the shared cache lost everything
    shared.set(versions.dataset_key("services"), 5, timeout=None)
    clock.now += (TTL_MS - 1) / 1000
    assert (versions.data_version(), versions.dataset_versions("services")) == (7, (3, 0))
    clock.now += 0.001
    assert (versions.data_version(), versions.dataset_versions("services")) == (0, (0, 5))


def test_a_read_begun_before_this_processs_bump_does_not_put_the_old_value_back(clock: Clock) -> None:
    caches["shared"].set(versions.DATA_VERSION_KEY, 41, timeout=None)
    read_started = clock.now
    clock.now += 0.001
    versions.data_version_bump("services")  # 42, written into the memo at once
    versions._remember({versions.DATA_VERSION_KEY: 41}, read_started)  # the slower read lands
    assert versions.data_version() == 42


def test_with_ttl_zero_every_read_goes_to_the_shared_cache(settings: Any) -> None:
    assert settings.TABYIN_CACHE_VERSION_TTL_MS == 0  # the suite's value (tests/settings.py)
    versions.forget()
    shared = caches["shared"]
    shared.set(versions.DATA_VERSION_KEY, 1, timeout=None)
    assert versions.data_version() == 1
    shared.set(versions.DATA_VERSION_KEY, 2, timeout=None)
    assert versions.data_version() == 2
    versions.data_version_bump()
    assert versions.data_version() == 3
    assert versions._memo.values == {}

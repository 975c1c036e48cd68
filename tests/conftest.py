from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from tabyin.core import demo
from tabyin.core.demo import is_demo as _is_demo
from tabyin.core.enums import Role
from tabyin.core.models import SealedTotpDevice, User
from tests import factories


@pytest.fixture
def org(db: Any) -> None:
    """HQ, the 31 provinces and the special units."""
    factories.seed_org()


@pytest.fixture
def hq_admin(org: None) -> User:
    return factories.persona("hq.admin", "hq", Role.ADMINISTRATOR)


@pytest.fixture
def tehran_admin(org: None) -> User:
    return factories.persona("tehran.admin", "ir-23", Role.ADMINISTRATOR)


@pytest.fixture
def tehran_officer(org: None) -> User:
    return factories.persona("tehran.officer", "ir-23", Role.PROVINCIAL_OFFICER)


@pytest.fixture
def hq_analyst(org: None) -> User:
    return factories.persona("hq.analyst", "hq", Role.ANALYST)


@pytest.fixture
def security_handler(org: None) -> User:
    return factories.persona("hq.security", "hq-security", Role.CASE_HANDLER)


def verified_client(user: User) -> Client:
    """A client logged in with password and second factor, as after the real two steps."""
    client = Client()
    client.force_login(user)
    device = SealedTotpDevice.objects.get(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def staff_client() -> Any:
    return verified_client


@pytest.fixture(autouse=True)
def _no_demo_marker_left_behind() -> Iterator[None]:
    """A demo load writes its credentials file into the test data directory, which every process
    shares, and from then on every page says it shows sample data. Remove it after each test, so
    what a page shows does not depend on which tests ran before."""
    yield
    demo.credentials_path().unlink(missing_ok=True)
    # The function itself, as imported: a test may have monkeypatched the module's name.
    _is_demo.cache_clear()


@pytest.fixture(autouse=True)
def _no_cached_response_left_behind() -> Iterator[None]:
    """Whole responses are cached per process under publish counters kept in the database, which
    each test rolls back: a counter can come back to a value an earlier test cached under."""
    from django.core.cache import caches

    from tabyin.portal import cache_scope

    caches["responses"].clear()
    cache_scope.forget()
    # Reception's poll answers remember provinces and questions by id, which rolled-back tests reuse.
    from tabyin.reception.polls import cache as poll_cache

    poll_cache.forget()
    yield


@pytest.fixture(autouse=True)
def _task_mode_left_as_found() -> Iterator[None]:
    """Tasks run in the caller's thread in tests. A test that switched that off on
    django.conf.settings itself (not through the restoring ``settings`` fixture) once left every
    later test's tasks running in pool threads beside it; fail the test that does so."""
    from django.conf import settings

    before = settings.TABYIN_TASKS_EAGER
    yield
    assert before == settings.TABYIN_TASKS_EAGER, "this test changed TABYIN_TASKS_EAGER and left it"


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A request to an /en/ page leaves English active in this thread (the locale middleware
    activates it and nothing resets it), so a later test that renders without a request would
    speak English. Each test starts from the site's language."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _postgresql_only(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgresql") is None:
        return
    from django.db import connection

    assert connection.vendor == "postgresql", (
        "this test needs PostgreSQL: run it with DATABASE_URL=postgres://… (make test does)"
    )


# --- A pass that must run PostgreSQL, scaled, browser or CLI tests fails if none ran or any skipped.
_ran: dict[str, int] = {}
_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    required = _required_markers()
    hit = [m for m in required if m in report.keywords]
    if not hit:
        return
    if report.skipped:
        _skipped.append(report.nodeid)
    elif report.when == "call" and report.passed:
        for marker in hit:
            _ran[marker] = _ran.get(marker, 0) + 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    import os

    if os.environ.get("PYTEST_XDIST_WORKER"):
        return  # a worker sees only its share; the controller gets every report and decides
    required = _required_markers()
    missing = [m for m in required if not _ran.get(m)]
    if _skipped or missing:
        import sys

        print(
            f"\nTABYIN_REQUIRE_MARKERS: skipped {_skipped or 'none'}; "
            f"no passing test for {missing or 'none'}",
            file=sys.stderr,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _required_markers() -> list[str]:
    import os

    return [m for m in os.environ.get("TABYIN_REQUIRE_MARKERS", "").split(",") if m]


# --- Data the migrations seed, back after a transactional test's flush.
# A transactional test (live server, browser, real threads) ends with a flush that empties every
# table, the migrations' seed data included. Run alone, pytest-django orders those tests last; in a
# pytest-xdist worker a file keeps its tests together, so a flush can come before other files'
# tests that read the report categories, the plain-language list or the holiday table.
_SEEDS = (
    ("tabyin.core.migrations.0009_working_calendar", "seed", "core.Holiday"),
    ("tabyin.reception.migrations.0001_plainlang_jargon", "seed", "reception.JargonEntry"),
    ("tabyin.reports.migrations.0002_default_categories", "install", "reports.Category"),
)


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & {"transactional_db", "live_server", "django_db_reset_sequences"})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    result = yield  # every fixture is torn down here, the flush included
    # After the session's last test the test database itself is gone (session fixtures are torn
    # down in that test's teardown), and nothing comes after it that needs the seeds.
    if nextitem is not None and _transactional(item):
        from importlib import import_module

        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for module, function, model in _SEEDS:
                if not apps.get_model(model).objects.exists():
                    getattr(import_module(module), function)(apps, None)
    return result

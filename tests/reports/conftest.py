"""Fixtures of the reports tests: handlers with keys, custodians, and a helper to submit."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module

import pytest
from django.utils import translation

from tabyin.core.enums import Role
from tabyin.core.models import User
from tests import factories
from tests.reports import helpers


@pytest.fixture(autouse=True)
def default_categories(request: pytest.FixtureRequest) -> None:
    """A transactional test starts from whatever the last one flushed: the categories and routing
    rules a data migration installed may be gone. Put them back (idempotent) before it runs."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from tabyin.reports.models import Category

    if not Category.objects.exists():
        import_module("tabyin.reports.migrations.0002_default_categories").install(apps, None)


@pytest.fixture
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def tehran_security(org: None) -> User:
    """A case handler of Tehran's security office, with keys set (passphrase ``helpers.PASSPHRASE``)."""
    user = factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER)
    helpers.keys_for(user)
    return user


@pytest.fixture
def tehran_inspection(org: None) -> User:
    user = factories.persona("tehran.inspection", "ir-23-inspection", Role.CASE_HANDLER)
    helpers.keys_for(user)
    return user


@pytest.fixture
def hq_units_with_keys(org: None) -> dict[str, User]:
    """One handler with keys in each HQ receiving unit, so every fallback route is readable."""
    users = {}
    for kind in ("security", "inspection", "violations-board"):
        user = factories.persona(f"hq.{kind}", f"hq-{kind}", Role.CASE_HANDLER)
        helpers.keys_for(user)
        users[kind] = user
    return users


@pytest.fixture
def custodian(org: None) -> User:
    user = factories.persona("hq.custodian", "hq", Role.CUSTODIAN)
    helpers.keys_for(user)
    return user

"""Fixtures of the reports tests: handlers with keys, custodians, and a helper to submit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from tabyin.core.enums import Role
from tabyin.core.models import User
from tests import factories
from tests.reports import helpers


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

from __future__ import annotations

from datetime import datetime

import pytest

from tabyin.core.enums import Role
from tabyin.core.jalali import TEHRAN
from tabyin.core.models import OrgUnit, User
from tests import factories


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TEHRAN)


@pytest.fixture
def hospital(org: None) -> OrgUnit:
    return factories.branch("ir-23", "ir-23-hospital")


@pytest.fixture
def nurse(hospital: OrgUnit) -> User:
    """A member of a Tehran hospital's staff who asks PR for coverage."""
    return factories.persona("hospital.staff", "ir-23-hospital", Role.STAFF)


@pytest.fixture
def isfahan_staff(org: None) -> User:
    return factories.persona("isfahan.staff", "ir-10", Role.STAFF)


@pytest.fixture
def isfahan_officer(org: None) -> User:
    return factories.persona("isfahan.officer", "ir-10", Role.PROVINCIAL_OFFICER)


@pytest.fixture
def deputy(org: None) -> User:
    return factories.persona("hq.deputy", "hq", Role.STAFF)

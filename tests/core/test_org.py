from __future__ import annotations

from typing import Any

import pytest

from tabyin.core import selectors, services
from tabyin.core.enums import UnitKind
from tabyin.core.models import OrgUnit


@pytest.mark.django_db
def test_seed_creates_hq_31_provinces_and_special_units() -> None:
    result = services.org_seed(name_fa="سازمان", name_en="Org")

    assert result.created == 1 + 3 + 31 + 31 * 3
    assert OrgUnit.objects.filter(kind=UnitKind.PROVINCE).count() == 31
    for kind in (UnitKind.VIOLATIONS_BOARD, UnitKind.SECURITY, UnitKind.INSPECTION):
        assert OrgUnit.objects.filter(kind=kind).count() == 32
    tehran = OrgUnit.objects.get(iso_code="IR-23")
    assert (tehran.name_fa, tehran.name_en, tehran.population_2016) == ("تهران", "Tehran", 13267637)
    assert tehran.province_id == tehran.pk
    security = OrgUnit.objects.get(code="ir-23-security")
    assert (security.parent_id, security.province_id) == (tehran.pk, tehran.pk)
    assert security.name_fa == "حراست تهران"
    assert OrgUnit.objects.get(code="hq").province_id is None


@pytest.mark.django_db
def test_seed_twice_keeps_everything_and_duplicates_nothing() -> None:
    services.org_seed(name_fa="سازمان", name_en="Org")
    again = services.org_seed(name_fa="سازمان", name_en="Org")

    assert (again.created, again.existing) == (0, 128)
    assert OrgUnit.objects.count() == 128


@pytest.mark.django_db
def test_province_iso_codes_cover_ir00_to_ir30(org: Any) -> None:
    codes = list(selectors.provinces().values_list("iso_code", flat=True))

    assert codes == [f"IR-{n:02d}" for n in range(31)]
    assert sum(selectors.provinces().values_list("population_2016", flat=True)) == 79926270


@pytest.mark.django_db
def test_branch_inherits_its_province(org: Any) -> None:
    from tests.factories import branch

    shahr_e_rey = branch("ir-23", "ir-23-b12")

    assert shahr_e_rey.province == OrgUnit.objects.get(iso_code="IR-23")
    assert shahr_e_rey.name_fa == "شعبه ir-23-b12"

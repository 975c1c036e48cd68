"""Factories and named personas shared by every app's tests."""

from __future__ import annotations

import factory

from tabyin.core import services
from tabyin.core.enums import Role, UnitKind
from tabyin.core.models import OrgUnit, SealedTotpDevice, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"کاربر {n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.save()


_FIELDS = ("code", "kind", "name_fa", "name_en", "iso_code", "population_2016")
_org_rows: list[dict[str, object]] = []


def seed_org() -> None:
    """The organization (128 units). The first call in a process goes through ``org_seed`` (and
    its audit entries); later calls copy the same rows in five queries, since most tests need the
    units and not the seeding, which tests/core/test_org.py covers."""
    if OrgUnit.objects.exists():
        services.org_seed(name_fa="سازمان نمونه", name_en="Sample organization")
        return
    if not _org_rows:
        services.org_seed(name_fa="سازمان نمونه", name_en="Sample organization")
        by_id = {u.pk: u.code for u in OrgUnit.objects.all()}
        _org_rows.extend(
            {
                **{f: getattr(u, f) for f in _FIELDS},
                "parent": by_id.get(u.parent_id or 0),
                "province": by_id.get(u.province_id or 0),
            }
            for u in OrgUnit.objects.order_by("id")
        )
        return
    _copy_org()


def _copy_org() -> None:
    def build(rows: list[dict[str, object]], made: dict[str, OrgUnit]) -> list[OrgUnit]:
        return [
            OrgUnit(
                **{f: row[f] for f in _FIELDS},
                parent=made.get(str(row["parent"])),
                province=made.get(str(row["province"])) if row["province"] != row["code"] else None,
            )
            for row in rows
        ]

    made: dict[str, OrgUnit] = {}
    hq = [r for r in _org_rows if r["parent"] is None]
    provinces = [r for r in _org_rows if r["kind"] == UnitKind.PROVINCE]
    for group in (hq, provinces, [r for r in _org_rows if r not in hq and r not in provinces]):
        for unit in OrgUnit.objects.bulk_create(build(group, made)):
            made[unit.code] = unit
    for unit in made.values():
        if unit.kind == UnitKind.PROVINCE:
            unit.province = unit
    OrgUnit.objects.bulk_update([u for u in made.values() if u.kind == UnitKind.PROVINCE], ["province"])


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def persona(username: str, unit_code: str, role: Role, *, otp: bool = True) -> User:
    """A staff user with one role and, by default, a confirmed authenticator."""
    user = UserFactory(username=username)
    services.membership_grant(actor=None, user=user, unit=unit(unit_code), role=role)
    if otp:
        SealedTotpDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def branch(province_code: str, code: str) -> OrgUnit:
    province = unit(province_code)
    return services.org_unit_create(
        actor=None,
        code=code,
        kind=UnitKind.BRANCH,
        name_fa=f"شعبه {code}",
        name_en=f"Branch {code}",
        parent=province,
    )

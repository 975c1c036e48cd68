"""Factories and named personas shared by every app's tests."""

from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from tabyin.core import services
from tabyin.core.enums import Role, UnitKind
from tabyin.core.models import OrgUnit, User

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


def seed_org() -> None:
    services.org_seed(name_fa="سازمان نمونه", name_en="Sample organization")


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def persona(username: str, unit_code: str, role: Role, *, otp: bool = True) -> User:
    """A staff user with one role and, by default, a confirmed authenticator."""
    user = UserFactory(username=username)
    services.membership_grant(actor=None, user=user, unit=unit(unit_code), role=role)
    if otp:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
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

"""The back office goes through the same scoped, audited services as everything else."""

from __future__ import annotations

from django.test import Client

from tabyin.core.models import AuditEntry, Membership, OrgUnit, User
from tests.factories import unit


def test_provincial_admin_sees_only_own_province_units(tehran_admin: User, staff_client: object) -> None:
    client: Client = staff_client(tehran_admin)  # type: ignore[operator]

    page = client.get("/staff/admin/core/orgunit/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "ir-23-security" in text
    assert "ir-10-security" not in text
    assert page.context["cl"].result_count == 4


def test_admin_change_of_a_unit_is_audited(hq_admin: User, staff_client: object) -> None:
    client: Client = staff_client(hq_admin)  # type: ignore[operator]
    gilan = unit("ir-01")

    response = client.post(
        f"/staff/admin/core/orgunit/{gilan.pk}/change/",
        {
            "name_fa": "گیلان",
            "name_en": "Guilan",
            "iso_code": "IR-01",
            "population_2016": "2530696",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="update", object_id=str(gilan.pk))
    assert (entry.actor_username, entry.before, entry.after) == (
        "hq.admin",
        {"name_en": "Gilan"},
        {"name_en": "Guilan"},
    )


def test_provincial_admin_cannot_open_another_provinces_unit(
    tehran_admin: User, staff_client: object
) -> None:
    client: Client = staff_client(tehran_admin)  # type: ignore[operator]

    response = client.get(f"/staff/admin/core/orgunit/{unit('ir-10').pk}/change/")

    assert response.status_code == 302  # Django admin redirects "does not exist" to the list
    assert OrgUnit.objects.get(code="ir-10").name_en == "Isfahan"


def test_admin_creates_a_user_with_a_role_without_a_password(hq_admin: User, staff_client: object) -> None:
    client: Client = staff_client(hq_admin)  # type: ignore[operator]

    response = client.post(
        "/staff/admin/core/user/add/",
        {
            "username": "fars.officer",
            "display_name": "كارشناس فارس",  # typed with an Arabic kaf: stored normalized
            "email": "fars@example.org",
            "unit": str(unit("ir-07").pk),
            "role": "provincial_officer",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="fars.officer")
    assert user.display_name == "کارشناس فارس"
    assert user.has_usable_password() is False
    assert list(Membership.objects.filter(user=user).values_list("unit__code", "role")) == [
        ("ir-07", "provincial_officer")
    ]
    assert list(
        AuditEntry.objects.filter(actor=hq_admin).values_list("action", flat=True).order_by("id")
    ) == [
        "create",
        "grant",
    ]


def test_admin_cannot_delete_or_edit_the_audit_log(hq_admin: User, staff_client: object) -> None:
    client: Client = staff_client(hq_admin)  # type: ignore[operator]
    entry = AuditEntry.objects.first()
    assert entry is not None

    assert client.get(f"/staff/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/staff/admin/core/auditentry/add/").status_code == 403
    listing = client.get("/staff/admin/core/auditentry/")
    assert listing.status_code == 200

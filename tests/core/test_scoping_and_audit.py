from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from tabyin.core import selectors, services
from tabyin.core.enums import AuditAction, Role, UnitKind
from tabyin.core.models import AppendOnlyError, AuditEntry, OrgUnit, User
from tabyin.core.scoping import restrict, scope_for
from tests.factories import persona, unit


def test_provincial_scope_covers_only_its_province(tehran_officer: User) -> None:
    scope = scope_for(tehran_officer)

    assert scope.national is False
    assert scope.province_ids == frozenset({unit("ir-23").pk})
    assert scope.covers_province(unit("ir-23").pk) is True
    assert scope.covers_province(unit("ir-10").pk) is False
    assert scope.covers_province(None) is False  # national rows are not provincial data


def test_hq_scope_is_national(hq_analyst: User) -> None:
    scope = scope_for(hq_analyst)

    assert scope.national is True
    assert scope.covers_province(unit("ir-10").pk) is True


def test_restrict_filters_rows_to_the_users_provinces(tehran_officer: User, hq_analyst: User) -> None:
    units = OrgUnit.objects.filter(kind=UnitKind.SECURITY)

    tehran_rows = restrict(units, scope_for(tehran_officer))
    national_rows = restrict(units, scope_for(hq_analyst))

    assert list(tehran_rows.values_list("code", flat=True)) == ["ir-23-security"]
    assert national_rows.count() == 32


def test_user_without_membership_sees_nothing(org: None) -> None:
    from tests.factories import UserFactory

    nobody = UserFactory()

    assert restrict(OrgUnit.objects.all(), scope_for(nobody)).count() == 0


def test_provincial_admin_sees_only_own_provinces_users_and_units(
    tehran_admin: User, tehran_officer: User, hq_analyst: User
) -> None:
    persona("isfahan.officer", "ir-10", Role.PROVINCIAL_OFFICER)

    users = list(selectors.users_for(actor=tehran_admin).values_list("username", flat=True))
    units = set(selectors.units_for(actor=tehran_admin).values_list("code", flat=True))

    assert users == ["tehran.admin", "tehran.officer"]
    assert units == {"ir-23", "ir-23-security", "ir-23-inspection", "ir-23-violations-board"}


def test_non_admin_cannot_list_users(tehran_officer: User) -> None:
    with pytest.raises(PermissionDenied):
        selectors.users_for(actor=tehran_officer)


def test_provincial_admin_cannot_change_another_province(tehran_admin: User) -> None:
    with pytest.raises(PermissionDenied):
        services.org_unit_update(actor=tehran_admin, unit=unit("ir-10"), name_en="Esfahan")

    assert unit("ir-10").name_en == "Isfahan"


def test_unit_update_writes_an_audit_entry_with_only_the_change(tehran_admin: User) -> None:
    services.org_unit_update(actor=tehran_admin, unit=unit("ir-23"), name_en="Tehran Province")

    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).get()
    assert entry.actor_username == "tehran.admin"
    assert entry.unit == unit("ir-23")
    assert entry.province == unit("ir-23")
    assert entry.object_type == "core.orgunit"
    assert entry.object_repr == "تهران"
    assert entry.before == {"name_en": "Tehran"}
    assert entry.after == {"name_en": "Tehran Province"}


def test_grant_and_revoke_are_audited(hq_admin: User, tehran_officer: User) -> None:
    membership = services.membership_grant(
        actor=hq_admin, user=tehran_officer, unit=unit("ir-23"), role=Role.EVALUATOR
    )
    services.membership_revoke(actor=hq_admin, membership=membership)

    actions = list(
        AuditEntry.objects.filter(actor=hq_admin).order_by("id").values_list("action", "after", "before")
    )
    assert actions == [
        ("grant", {"role": "evaluator", "unit": "ir-23"}, {}),
        ("revoke", {}, {"role": "evaluator", "unit": "ir-23"}),
    ]


def test_audit_log_is_append_only(hq_admin: User) -> None:
    services.org_unit_update(actor=hq_admin, unit=unit("ir-01"), name_en="Guilan")
    entry = AuditEntry.objects.latest("id")

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_database_refuses_to_rewrite_the_audit_log_on_postgresql(org: None) -> None:
    services.org_unit_update(
        actor=persona("a", "hq", Role.ADMINISTRATOR), unit=unit("ir-02"), name_en="Mazandaran!"
    )
    from django.db import DatabaseError, transaction

    with (
        pytest.raises(DatabaseError, match="core_auditentry is append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("UPDATE core_auditentry SET action = 'delete'")


def test_provincial_admin_reads_only_own_province_audit(tehran_admin: User, hq_admin: User) -> None:
    services.org_unit_update(actor=hq_admin, unit=unit("ir-10"), name_en="Esfahan")
    services.org_unit_update(actor=tehran_admin, unit=unit("ir-23"), name_en="Tehran Province")

    seen = [e.object_repr for e in selectors.audit_entries_for(actor=tehran_admin) if e.action == "update"]
    assert seen == ["تهران"]
    assert len([e for e in selectors.audit_entries_for(actor=hq_admin) if e.action == "update"]) == 2


def test_only_administrators_read_the_audit_log(hq_analyst: User) -> None:
    with pytest.raises(PermissionDenied):
        selectors.audit_entries_for(actor=hq_analyst)

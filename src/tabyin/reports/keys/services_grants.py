"""The first reader of a unit: no one person can make one (issue 15.1).

A unit whose keyring nobody holds (a new unit, or one whose only holder reset a lost passphrase or
left) gets a new keyring, held by one of its case handlers, only when two people agree:

- a *trustee* — someone who holds a share of a headquarters receiving unit's keyring or of the
  custodians' keyring, and who opens it (their passphrase) in the request that proposes or
  approves; or an *administrator* of the unit (who can never hold a reader role);
- two different people, neither of them the grantee, **at least one of them a trustee**.

An administrator alone can create an account, receive its set-password link and set its
passphrase, but cannot pass the second step: a trustee's share is bound to a passphrase the
administrator cannot reset without voiding that share (``services_keys.keys_setup``). The same
rule gives the custodians their keyring when none is current.

The very first keyring of an installation, when no trustee exists yet, is made on the server by
``tabyin manage reports_keys_bootstrap`` (``grant_bootstrap``); it is refused as soon as any
trustee keyring is readable, and is counted on the protections page like every other grant.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core import permissions as core_permissions
from tabyin.core import services as core_services
from tabyin.core.enums import AuditAction, Role
from tabyin.core.models import Membership, OrgUnit, User
from tabyin.core.scoping import scope_for
from tabyin.reports import permissions
from tabyin.reports.config import routing
from tabyin.reports.crypto import sodium
from tabyin.reports.enums import GrantKind, GrantState, KeyringPurpose
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import HandlerKey, KeyGrant, Keyring
from tabyin.reports.notices import services as notifications


def _is_trustee_keyring(keyring: Keyring) -> bool:
    if keyring.purpose == KeyringPurpose.CUSTODIAN:
        return True
    unit = keyring.unit
    return unit is not None and unit.province_id is None and permissions.can_receive(unit)


def trustee_keyrings(user: User) -> list[Keyring]:
    """Current trustee keyrings the user holds a share of, with the role that goes with each."""
    held = Keyring.objects.filter(shares__user=user, retired_at__isnull=True).select_related("unit")
    return [k for k in held if _is_trustee_keyring(k) and services_keys.holds_role(user, k)]


def opened_trustee_keyring(user: User, unlocked: services_keys.Unlocked | None) -> Keyring | None:
    """A trustee keyring the user opens now with their unlocked key: the proof of a passphrase."""
    if unlocked is None or unlocked.user_id != user.pk or not user.is_active:
        return None
    for keyring in trustee_keyrings(user):
        try:
            services_keys.keyring_private(user=user, unlocked=unlocked, keyring=keyring)
        except (PermissionDenied, sodium.DecryptError):
            continue
        return keyring
    return None


def _administers(user: User, unit: OrgUnit | None) -> bool:
    scope = scope_for(user)
    if unit is None:
        return scope.national and core_permissions.can_administer(scope)
    return core_permissions.can_administer_unit(scope, unit)


def _as_sponsor(actor: User, unlocked: services_keys.Unlocked | None, unit: OrgUnit | None) -> bool:
    """True when the actor takes part as a trustee, False as an administrator; else refused."""
    if opened_trustee_keyring(actor, unlocked) is not None:
        return True
    if _administers(actor, unit):
        return False
    raise PermissionDenied("only a trustee with an open key or an administrator of the unit takes part")


def _readable(purpose: str, unit: OrgUnit | None) -> Keyring | None:
    """The current keyring, if an active person with the role holds it (then a holder shares)."""
    if purpose == KeyringPurpose.CUSTODIAN:
        keyring = services_keys.custodian_keyring()
    else:
        keyring = services_keys.unit_keyring(unit) if unit is not None else None
    return keyring if keyring is not None and services_keys.holders(keyring) else None


def _may_hold(user: User, purpose: str, unit: OrgUnit | None) -> bool:
    scope = scope_for(user)
    if purpose == KeyringPurpose.CUSTODIAN:
        return permissions.is_custodian(scope)
    return unit is not None and permissions.can_handle_unit(scope, unit.pk)


def _check_target(grantee: User, purpose: str, unit: OrgUnit | None) -> HandlerKey:
    if purpose == KeyringPurpose.UNIT and (unit is None or not permissions.can_receive(unit)):
        raise ValidationError(_("Only a receiving unit has a key."))
    if not grantee.is_active or not _may_hold(grantee, purpose, unit):
        raise ValidationError(_("This person does not have the role that goes with this key."))
    key = HandlerKey.objects.filter(user=grantee).first()
    if key is None:
        raise ValidationError(_("%(user)s has not set a passphrase yet.") % {"user": grantee.get_username()})
    if _readable(purpose, unit) is not None:
        raise ValidationError(_("This key already has a holder: a holder shares it from the keys page."))
    return key


@transaction.atomic
def grant_propose(
    *,
    actor: User,
    unlocked: services_keys.Unlocked | None,
    grantee: User,
    unit: OrgUnit | None,
) -> KeyGrant:
    """First step: a trustee or an administrator of the unit proposes one of its handlers."""
    purpose = KeyringPurpose.CUSTODIAN if unit is None else KeyringPurpose.UNIT
    if actor.pk == grantee.pk:
        raise PermissionDenied("no one grants a key to themselves")
    trustee = _as_sponsor(actor, unlocked, unit)
    _check_target(grantee, purpose, unit)
    if KeyGrant.objects.filter(
        kind=GrantKind.TWO_PERSON, state=GrantState.PENDING, purpose=purpose, unit=unit
    ).exists():
        raise ValidationError(_("A grant for this key is already waiting for a second person."))
    grant = KeyGrant.objects.create(
        kind=GrantKind.TWO_PERSON,
        purpose=purpose,
        unit=unit,
        grantee=grantee,
        proposed_by=actor,
        proposer_trustee=trustee,
    )
    core_services.audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=grant,
        unit=unit,
        after={"grantee": grantee.username, "as": "trustee" if trustee else "administrator"},
    )
    told = [u for u in _sponsors(unit) if u.pk not in (actor.pk, grantee.pk) and u.email]
    transaction.on_commit(lambda: notifications.send(users=told, event="grant"))
    return grant


@transaction.atomic
def grant_approve(*, actor: User, unlocked: services_keys.Unlocked | None, grant: KeyGrant) -> KeyGrant:
    """Second step, by another person: the keyring is made and sealed to the grantee's key."""
    grant = (
        KeyGrant.objects.select_for_update(of=("self",)).select_related("unit", "grantee").get(pk=grant.pk)
    )
    if grant.kind != GrantKind.TWO_PERSON or grant.state != GrantState.PENDING:
        raise ValidationError(_("This grant has already been decided."))
    grantee = grant.grantee
    if grantee is None:
        raise ValidationError(_("This person's account no longer exists."))
    if actor.pk in (grant.proposed_by_id, grantee.pk):
        raise PermissionDenied("the second person must be someone else")
    trustee = _as_sponsor(actor, unlocked, grant.unit)
    if not (trustee or grant.proposer_trustee):
        raise PermissionDenied("at least one of the two must be a trustee, not an administrator")
    key = _check_target(grantee, grant.purpose, grant.unit)
    stale = (
        services_keys.custodian_keyring()
        if grant.purpose == KeyringPurpose.CUSTODIAN
        else services_keys.unit_keyring(grant.unit)  # type: ignore[arg-type]
    )
    if stale is not None:  # current, but nobody who may open it is left: new reports need a new key
        stale.retired_at = timezone.now()
        stale.save(update_fields=["retired_at"])
        core_services.audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=stale, unit=stale.unit, after={"retired": True}
        )
    keyring = services_keys.new_keyring(
        purpose=KeyringPurpose(grant.purpose), unit=grant.unit, holder=grantee, key=key, granted_by=actor
    )
    grant.state, grant.approved_by, grant.keyring = GrantState.GRANTED, actor, keyring
    grant.decided_at = timezone.now()
    grant.save(update_fields=["state", "approved_by", "keyring", "decided_at"])
    core_services.audit_record(
        actor=actor,
        action=AuditAction.GRANT,
        obj=grant,
        unit=grant.unit,
        after={"grantee": grantee.username, "as": "trustee" if trustee else "administrator"},
    )
    told = [u for u in _members(grant.purpose, grant.unit) if u.pk not in (actor.pk,) and u.email]
    transaction.on_commit(lambda: notifications.send(users=told, event="key"))
    return grant


@transaction.atomic
def grant_refuse(*, actor: User, unlocked: services_keys.Unlocked | None, grant: KeyGrant) -> KeyGrant:
    """The proposer withdraws it, or anyone who could approve it refuses it."""
    grant = KeyGrant.objects.select_for_update(of=("self",)).select_related("unit").get(pk=grant.pk)
    if grant.state != GrantState.PENDING:
        raise ValidationError(_("This grant has already been decided."))
    if actor.pk != grant.proposed_by_id:
        _as_sponsor(actor, unlocked, grant.unit)
    grant.state, grant.approved_by, grant.decided_at = GrantState.REFUSED, actor, timezone.now()
    grant.save(update_fields=["state", "approved_by", "decided_at"])
    core_services.audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=grant, unit=grant.unit, after={"state": grant.state}
    )
    return grant


@transaction.atomic
def grant_bootstrap(*, grantee: User, unit: OrgUnit | None) -> KeyGrant:
    """The installation's first trustee key, from the server's command line, while no trustee
    keyring is readable (afterwards only the two-person rule makes a first holder)."""
    readable = [k for k in Keyring.objects.filter(retired_at__isnull=True) if _is_trustee_keyring(k)]
    if any(services_keys.holders(k) for k in readable):
        raise PermissionDenied("a trustee key exists: use the two-person grant")
    purpose = KeyringPurpose.CUSTODIAN if unit is None else KeyringPurpose.UNIT
    if unit is not None and unit.province_id is not None:
        raise ValidationError("the installation's first key is a headquarters unit's or the custodians'")
    key = _check_target(grantee, purpose, unit)
    keyring = services_keys.new_keyring(purpose=purpose, unit=unit, holder=grantee, key=key, granted_by=None)
    grant = services_keys.grant_recorded(
        kind=GrantKind.INSTALLATION, keyring=keyring, grantee=grantee, by=None
    )
    core_services.audit_record(
        actor=None, action=AuditAction.GRANT, obj=grant, unit=unit, after={"grantee": grantee.username}
    )
    return grant


# --- what the grants page and the protections page show -------------------------------------------


def _members(purpose: str, unit: OrgUnit | None) -> list[User]:
    if purpose == KeyringPurpose.CUSTODIAN:
        members = Membership.objects.filter(role=Role.CUSTODIAN, unit__province__isnull=True)
    else:
        members = Membership.objects.filter(role=Role.CASE_HANDLER, unit=unit)
    return list(User.objects.filter(id__in=members.values("user_id"), is_active=True).order_by("username"))


def _sponsors(unit: OrgUnit | None) -> list[User]:
    """Whom to tell that a grant waits: every trustee (administrators see it on their page)."""
    found: dict[int, User] = {}
    for keyring in Keyring.objects.filter(retired_at__isnull=True).select_related("unit"):
        if _is_trustee_keyring(keyring):
            found.update({u.pk: u for u in services_keys.holders(keyring)})
    return list(found.values())


@dataclass(frozen=True)
class Candidate:
    unit: OrgUnit | None  # None: the custodians' key
    user: User

    @property
    def value(self) -> str:
        return f"{self.unit.pk if self.unit else 'c'}:{self.user.pk}"


def may_take_part(actor: User) -> bool:
    """Administrators and trustees see the grants page (whether their key is open or not)."""
    return core_permissions.can_administer(scope_for(actor)) or bool(trustee_keyrings(actor))


def candidates(actor: User) -> list[Candidate]:
    """People with a key who could be the first holder of a key nobody holds, that the actor may
    propose (a trustee: any; an administrator: in the units they administer)."""
    trustee = bool(trustee_keyrings(actor))
    waiting = {g.unit_id for g in pending()}  # one waiting grant per key: no second proposal
    held = {k.unit_id for k in routing.readable_keyrings()} | waiting
    found: list[Candidate] = []
    handlers = (
        Membership.objects.filter(
            role=Role.CASE_HANDLER, user__is_active=True, user__report_key__isnull=False
        )
        .exclude(unit_id__in=held)
        .exclude(user=actor)
        .select_related("unit", "user")
        .order_by("unit__province__iso_code", "unit__kind", "user__username")
    )
    for membership in handlers:
        if permissions.can_receive(membership.unit) and (trustee or _administers(actor, membership.unit)):
            found.append(Candidate(unit=membership.unit, user=membership.user))
    if (
        None not in waiting
        and _readable(KeyringPurpose.CUSTODIAN, None) is None
        and (trustee or _administers(actor, None))
    ):
        for user in _members(KeyringPurpose.CUSTODIAN, None):
            if user.pk != actor.pk and HandlerKey.objects.filter(user=user).exists():
                found.append(Candidate(unit=None, user=user))
    return found


def pending() -> list[KeyGrant]:
    return list(
        KeyGrant.objects.filter(kind=GrantKind.TWO_PERSON, state=GrantState.PENDING).select_related(
            "unit", "grantee", "proposed_by"
        )
    )


def recent(limit: int = 20) -> list[KeyGrant]:
    return list(
        KeyGrant.objects.exclude(state=GrantState.PENDING).select_related(
            "unit", "grantee", "proposed_by", "approved_by"
        )[:limit]
    )


def granted_counts() -> dict[str, int]:
    """How many times someone became a reader, by how (the protections page shows these)."""
    rows = KeyGrant.objects.filter(state=GrantState.GRANTED).values("kind").annotate(n=Count("id"))
    counts = {kind.value: 0 for kind in GrantKind}
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts

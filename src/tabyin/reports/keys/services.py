"""Keys: a holder's passphrase-locked key, unit and custodian keyrings, sharing and recovery.

Who can read a unit's reports is decided here, by who holds a ``KeyShare`` of its keyring:

- setting a passphrase makes a person's own key and nothing more: no one becomes a reader alone;
- a unit (or the custodians) with no holder gets its keyring and first holder only when two
  people agree, at least one of them not an administrator (``services_grants``);
- every later handler gets it only when a colleague who holds it approves (``keys_share``), so an
  administrator who adds a member to a unit still cannot read anything on their own;
- a share is used only while its holder still has the role in that unit;
- each keyring's private key is also sealed to the offline recovery key when one is configured
  (``TABYIN_REPORTS_RECOVERY_PUBLIC_KEY``): the documented way back when every holder is gone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core import services as core_services
from tabyin.core.enums import AuditAction, Role
from tabyin.core.models import Membership, OrgUnit, User
from tabyin.core.scoping import scope_for
from tabyin.reports import permissions
from tabyin.reports.crypto import sodium
from tabyin.reports.enums import GrantKind, GrantState, KeyringPurpose
from tabyin.reports.models import HandlerKey, KeyGrant, Keyring, KeyShare
from tabyin.reports.notices import services as notifications

MIN_PASSPHRASE = 12


@dataclass(frozen=True)
class Unlocked:
    """A holder's private key, opened for this request (kept between requests only by ``vault``)."""

    user_id: int
    private_key: bytes


def _cost() -> tuple[int, int]:
    return settings.TABYIN_RECEIPT_HASH_OPS, settings.TABYIN_RECEIPT_HASH_BYTES


def holds_role(user: User, keyring: Keyring) -> bool:
    """The user has the role that goes with the keyring (a share is honoured only then)."""
    return _holds(user, keyring)


def _holds(user: User, keyring: Keyring) -> bool:
    scope = scope_for(user)
    if keyring.purpose == KeyringPurpose.CUSTODIAN:
        return permissions.is_custodian(scope)
    return keyring.unit_id is not None and permissions.can_handle_unit(scope, keyring.unit_id)


def _recovery_sealed(private: bytes) -> bytes | None:
    public = settings.TABYIN_REPORTS_RECOVERY_PUBLIC_KEY
    return sodium.seal(sodium.unb64(public), private) if public else None


def new_keyring(
    *, purpose: KeyringPurpose, unit: OrgUnit | None, holder: User, key: HandlerKey, granted_by: User | None
) -> Keyring:
    """A new key pair for a unit (or the custodians), held by ``holder``. Only ``services_grants``
    calls this, once the rule for a first holder is met."""
    public, private = sodium.keypair()
    keyring = Keyring.objects.create(
        purpose=purpose, unit=unit, public_key=public, recovery_sealed=_recovery_sealed(private)
    )
    KeyShare.objects.create(
        keyring=keyring,
        user=holder,
        handler_key=key,
        sealed_private_key=sodium.seal(bytes(key.public_key), private),
        granted_by=granted_by,
    )
    core_services.audit_record(actor=granted_by, action=AuditAction.CREATE, obj=keyring, unit=unit)
    return keyring


def _check_passphrase(user: User, passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(
            _("The passphrase must have at least %(n)d characters.") % {"n": MIN_PASSPHRASE}, code="short"
        )
    if user.check_password(passphrase):
        raise ValidationError(
            _("Choose a passphrase different from your sign-in password."), code="same_as_password"
        )


def _sole_holdings(user: User) -> list[Keyring]:
    """Current keyrings that only this user holds: they die with the user's key."""
    held = Keyring.objects.filter(shares__user=user, retired_at__isnull=True)
    return [k for k in held if not KeyShare.objects.filter(keyring=k).exclude(user=user).exists()]


@transaction.atomic
def keys_setup(*, user: User, passphrase: str) -> Unlocked:
    """Create the user's own key. It opens nothing yet: a holder shares the unit's key, or, for a
    unit with no holder, two people grant a new one (``services_grants``).

    Replacing an existing key (a lost passphrase) voids its shares. A keyring the user alone held
    is retired — its reports stay sealed to it, for the recovery key — and the unit is without a
    holder until a two-person grant: whoever can reset a sign-in password (an administrator)
    must not be able to make themselves a reader by resetting a passphrase too.
    ``keys_change_passphrase`` is the way to change a passphrase that is still known: it keeps
    every share.
    """
    scope = scope_for(user)
    if not (permissions.is_handler(scope) or permissions.is_custodian(scope)):
        raise PermissionDenied("only case handlers and custodians hold report keys")
    _check_passphrase(user, passphrase)
    retired = _sole_holdings(user)
    for keyring in retired:
        keyring.retired_at = timezone.now()
        keyring.save(update_fields=["retired_at"])
        core_services.audit_record(
            actor=user, action=AuditAction.UPDATE, obj=keyring, unit=keyring.unit, after={"retired": True}
        )
    replaced = HandlerKey.objects.filter(user=user).delete()[0] > 0
    public, private = sodium.keypair()
    ops, mem = _cost()
    salt, locked = sodium.lock(passphrase, private, ops=ops, mem=mem)
    key = HandlerKey.objects.create(
        user=user, public_key=public, locked_private_key=locked, salt=salt, ops=ops, mem=mem
    )
    core_services.audit_record(
        actor=user, action=AuditAction.UPDATE if replaced else AuditAction.CREATE, obj=key
    )
    return Unlocked(user_id=user.pk, private_key=private)


@transaction.atomic
def keys_change_passphrase(*, user: User, old: str, new: str) -> Unlocked:
    """Lock the same private key with a new passphrase: every share stays valid."""
    unlocked = keys_unlock(user=user, passphrase=old)
    _check_passphrase(user, new)
    ops, mem = _cost()
    salt, locked = sodium.lock(new, unlocked.private_key, ops=ops, mem=mem)
    key = HandlerKey.objects.select_for_update().get(user=user)
    key.salt, key.locked_private_key, key.ops, key.mem = salt, locked, ops, mem
    key.save(update_fields=["salt", "locked_private_key", "ops", "mem"])
    core_services.audit_record(
        actor=user, action=AuditAction.UPDATE, obj=key, after={"passphrase": "changed"}
    )
    return unlocked


def sole_holdings(user: User) -> list[Keyring]:
    return _sole_holdings(user)


def has_key(user: User) -> bool:
    return HandlerKey.objects.filter(user=user).exists()


def keys_unlock(*, user: User, passphrase: str) -> Unlocked:
    key = HandlerKey.objects.filter(user=user).first()
    if key is None:
        raise ValidationError(_("You have not set a passphrase yet."), code="no_key")
    try:
        private = sodium.unlock(passphrase, key.salt, key.locked_private_key, ops=key.ops, mem=key.mem)
    except sodium.DecryptError:
        raise ValidationError(_("That passphrase does not open your key."), code="wrong") from None
    return Unlocked(user_id=user.pk, private_key=private)


def keyring_private(*, user: User, unlocked: Unlocked, keyring: Keyring) -> bytes:
    """The keyring's private key, for a holder who still has the role that goes with it."""
    if unlocked.user_id != user.pk or not _holds(user, keyring):
        raise PermissionDenied("not a holder of this keyring")
    share = KeyShare.objects.filter(keyring=keyring, user=user).first()
    if share is None:
        raise PermissionDenied("no share of this keyring yet")
    return sodium.unseal(unlocked.private_key, share.sealed_private_key)


def holds_share(user: User, keyring: Keyring | None) -> bool:
    return keyring is not None and KeyShare.objects.filter(keyring=keyring, user=user).exists()


def custodian_keyring() -> Keyring | None:
    return Keyring.objects.filter(purpose=KeyringPurpose.CUSTODIAN, retired_at__isnull=True).first()


def unit_keyring(unit: OrgUnit) -> Keyring | None:
    """The unit's current keyring: the one new reports are sealed to."""
    return Keyring.objects.filter(purpose=KeyringPurpose.UNIT, unit=unit, retired_at__isnull=True).first()


@dataclass(frozen=True)
class Waiting:
    keyring: Keyring
    user: User


def keys_waiting(*, actor: User) -> list[Waiting]:
    """Colleagues who set a passphrase but do not hold a keyring the actor holds."""
    waiting: list[Waiting] = []
    held = Keyring.objects.filter(shares__user=actor, retired_at__isnull=True).select_related("unit")
    for keyring in held:
        if not _holds(actor, keyring):
            continue
        if keyring.purpose == KeyringPurpose.CUSTODIAN:
            members = Membership.objects.filter(role=Role.CUSTODIAN, unit__province__isnull=True)
        else:
            members = Membership.objects.filter(role=Role.CASE_HANDLER, unit=keyring.unit)
        users = (
            User.objects.filter(id__in=members.values("user_id"), is_active=True, report_key__isnull=False)
            .exclude(report_key_shares__keyring=keyring)
            .order_by("username")
        )
        waiting.extend(Waiting(keyring=keyring, user=user) for user in users)
    return waiting


@transaction.atomic
def keys_share(*, actor: User, unlocked: Unlocked, keyring: Keyring, user: User) -> KeyShare:
    """A holder seals the keyring's private key to a colleague who has the role and a key."""
    private = keyring_private(user=actor, unlocked=unlocked, keyring=keyring)
    if not _holds(user, keyring):
        raise PermissionDenied("the colleague does not have the role that goes with this keyring")
    key = HandlerKey.objects.filter(user=user).first()
    if key is None:
        raise ValidationError(_("%(user)s has not set a passphrase yet.") % {"user": user.get_username()})
    share, _created = KeyShare.objects.update_or_create(
        keyring=keyring,
        user=user,
        defaults={
            "handler_key": key,
            "sealed_private_key": sodium.seal(bytes(key.public_key), private),
            "granted_by": actor,
        },
    )
    core_services.audit_record(
        actor=actor, action=AuditAction.GRANT, obj=share, unit=keyring.unit, after={"user": user.username}
    )
    grant_recorded(kind=GrantKind.HOLDER, keyring=keyring, grantee=user, by=actor)
    return share


@transaction.atomic
def keys_recover(*, recovery_private: bytes, keyring: Keyring, user: User) -> KeyShare:
    """Offline recovery (``tabyin reports-recover``): re-share a keyring to a holder."""
    if keyring.recovery_sealed is None:
        raise ValidationError("this keyring was created without a recovery key")
    if not _holds(user, keyring):
        raise PermissionDenied("the user does not have the role that goes with this keyring")
    key = HandlerKey.objects.filter(user=user).first()
    if key is None:
        raise ValidationError(f"{user.username} has not set a passphrase yet")
    private = sodium.unseal(recovery_private, keyring.recovery_sealed)
    share, _created = KeyShare.objects.update_or_create(
        keyring=keyring,
        user=user,
        defaults={"handler_key": key, "sealed_private_key": sodium.seal(bytes(key.public_key), private)},
    )
    core_services.audit_record(
        actor=None,
        action=AuditAction.GRANT,
        obj=share,
        unit=keyring.unit,
        after={"recovered_for": user.username},
    )
    grant_recorded(kind=GrantKind.RECOVERY, keyring=keyring, grantee=user, by=None)
    return share


def holders(keyring: Keyring) -> list[User]:
    """Active people who hold a share of the keyring and still have the role that goes with it."""
    users = User.objects.filter(report_key_shares__keyring=keyring, is_active=True).order_by("id")
    return [u for u in users if _holds(u, keyring)]


def grant_recorded(*, kind: GrantKind, keyring: Keyring, grantee: User, by: User | None) -> KeyGrant:
    """Keep the grant (the protections page counts them) and tell every other holder of the key,
    so a reader added behind their back does not go unnoticed."""
    grant = KeyGrant.objects.create(
        kind=kind,
        state=GrantState.GRANTED,
        purpose=keyring.purpose,
        unit=keyring.unit,
        grantee=grantee,
        proposed_by=by,
        approved_by=by,
        keyring=keyring,
        decided_at=timezone.now(),
    )
    told = [u for u in holders(keyring) if u.pk not in (grantee.pk, by.pk if by else None) and u.email]
    transaction.on_commit(lambda: notifications.send(users=told, event="key"))
    return grant

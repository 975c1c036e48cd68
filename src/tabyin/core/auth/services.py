"""Staff sign-in: the second factor (TOTP) is mandatory for every staff role. Devices are core's
``SealedTotpDevice`` (secret encrypted at rest), not django-otp's clear-key ``TOTPDevice``."""

from __future__ import annotations

from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from tabyin.core.enums import AuditAction
from tabyin.core.models import SealedTotpDevice, User
from tabyin.core.services import auth_event_record


def otp_is_verified(user: object) -> bool:
    """True once this session passed the second factor (set by django-otp's middleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def otp_has_device(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


@transaction.atomic
def otp_enroll_start(*, user: User) -> SealedTotpDevice:
    """Return the user's pending authenticator, creating one with a fresh secret if needed."""
    device: SealedTotpDevice | None = SealedTotpDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = SealedTotpDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def otp_enroll_confirm(*, user: User, token: str) -> SealedTotpDevice | None:
    pending = SealedTotpDevice.objects.select_for_update().filter(user=user, confirmed=False)
    device: SealedTotpDevice | None = pending.first()
    if device is None or not device.verify_token(token.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    auth_event_record(user=user, action=AuditAction.OTP_ENROLLED)
    return device


def otp_verify(*, user: User, token: str) -> SealedTotpDevice | None:
    """Check a code against the user's confirmed devices (django-otp throttles failures)."""
    device = match_token(user, token.strip())
    if not isinstance(device, SealedTotpDevice):
        auth_event_record(user=user, action=AuditAction.LOGIN_FAILED)
        return None
    return device


@transaction.atomic
def otp_reset(*, actor: User, user: User) -> int:
    """An administrator clears a user's authenticators (lost phone); next log-in re-enrols."""
    from tabyin.core import permissions
    from tabyin.core.scoping import scope_for

    permissions.require(permissions.can_administer(scope_for(actor)), "only administrators")
    deleted: int = SealedTotpDevice.objects.filter(user=user).delete()[0]
    # django-otp's clear-key device is no longer made (migration core 0006); clear any left anyway.
    deleted += TOTPDevice.objects.filter(user=user).delete()[0]
    auth_event_record(user=user, action=AuditAction.OTP_RESET)
    return deleted

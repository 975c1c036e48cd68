"""Staff sign-in: the second factor (TOTP) is mandatory for every staff role."""

from __future__ import annotations

from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.services import auth_event_record


def otp_is_verified(user: object) -> bool:
    """True once this session passed the second factor (set by django-otp's middleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def otp_has_device(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


@transaction.atomic
def otp_enroll_start(*, user: User) -> TOTPDevice:
    """Return the user's pending authenticator, creating one with a fresh secret if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def otp_enroll_confirm(*, user: User, token: str) -> TOTPDevice | None:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    auth_event_record(user=user, action=AuditAction.OTP_ENROLLED)
    return device


def otp_verify(*, user: User, token: str) -> TOTPDevice | None:
    """Check a code against the user's confirmed devices (django-otp throttles failures)."""
    device = match_token(user, token.strip())
    if not isinstance(device, TOTPDevice):
        auth_event_record(user=user, action=AuditAction.LOGIN_FAILED)
        return None
    return device


@transaction.atomic
def otp_reset(*, actor: User, user: User) -> int:
    """An administrator clears a user's authenticators (lost phone); next log-in re-enrols."""
    from tabyin.core import permissions
    from tabyin.core.scoping import scope_for

    permissions.require(permissions.can_administer(scope_for(actor)), "only administrators")
    deleted: int = TOTPDevice.objects.filter(user=user).delete()[0]
    auth_event_record(user=user, action=AuditAction.OTP_RESET)
    return deleted

"""Set-password links: how a new staff account gets its first password, and how a person who
forgot theirs gets a new one. The link is single-use (Django's token changes with the password)
and expires after PASSWORD_RESET_TIMEOUT."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tabyin.core.models import User


def password_link(*, user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("core:password-set", kwargs={"uidb64": uid, "token": token})


def password_link_send(*, user: User, base_url: str) -> bool:
    """E-mail a set-password link. Returns False (and sends nothing) for unknown or inactive
    accounts or accounts without an address, so a public "forgot password" form reveals nothing."""
    if not user.is_active or not user.email:
        return False
    context = {
        "user": user,
        "link": password_link(user=user, base_url=base_url),
        "site_name": settings.TABYIN_SITE_NAME,
    }
    send_mail(
        subject=render_to_string("core/auth/password_email_subject.txt", context).strip(),
        message=render_to_string("core/auth/password_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True


FORGOT_INTERVAL_SECONDS = 300


def password_forgot(*, email: str, base_url: str) -> None:
    """At most one mail per address every five minutes, so the form cannot flood a mailbox."""
    address = email.strip().lower()
    digest = hashlib.sha256(address.encode()).hexdigest()
    if not cache.add(f"tabyin:password-forgot:{digest}", 1, FORGOT_INTERVAL_SECONDS):
        return
    for user in User.objects.filter(email__iexact=address, is_active=True, is_staff=True):
        password_link_send(user=user, base_url=base_url)

"""What staff are told by e-mail: that something is waiting, never what.

No category, place, date, text or count that could hint at a report's content goes into an
e-mail; mail leaves our servers and is read on phones. The message points to the inbox, where
the handler signs in with two factors and unlocks their key.
"""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tabyin.core.enums import Role
from tabyin.core.models import Membership, User

log = logging.getLogger(__name__)

SUBJECTS = {
    "new": gettext_noop("A report is waiting in your unit's inbox"),
    "message": gettext_noop("A reporter has sent a message"),
    "due": gettext_noop("A report is close to its deadline"),
    "expiry": gettext_noop("Reports will be deleted at the end of their retention period"),
    "transfer": gettext_noop("A report was transferred to your unit"),
    "identity": gettext_noop("An identity request is waiting for a custodian"),
    "key": gettext_noop("Someone new can read your unit's reports"),
    "grant": gettext_noop("A key grant is waiting for a second person"),
}


def handlers_of(unit_ids: list[int]) -> list[User]:
    ids = Membership.objects.filter(role=Role.CASE_HANDLER, unit_id__in=unit_ids).values("user_id")
    return list(User.objects.filter(id__in=ids, is_active=True).exclude(email="").order_by("id"))


def custodians() -> list[User]:
    ids = Membership.objects.filter(role=Role.CUSTODIAN, unit__province__isnull=True).values("user_id")
    return list(User.objects.filter(id__in=ids, is_active=True).exclude(email="").order_by("id"))


def send(*, users: list[User], event: str) -> int:
    """One plain e-mail per person, in the site's language. Returns how many were sent."""
    sent = 0
    with translation.override("fa"):
        subject = _(SUBJECTS[event])
        body = _(
            "Something is waiting for you in the violation reports inbox. Sign in to the staff site "
            "to see it. For the reporters' protection, this e-mail says nothing about it."
        )
    for user in users:
        try:
            sent += send_mail(subject, body, None, [user.email])
        except (OSError, smtplib.SMTPException) as error:
            # A mail server being down must not undo a report; the inbox still shows it.
            log.warning("reports: could not e-mail user %s (%s)", user.pk, type(error).__name__)
    return sent

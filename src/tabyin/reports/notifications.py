"""What staff are told by e-mail: that something is waiting, never what.

No category, place, date, text or count that could hint at a report's content goes into an
e-mail; mail leaves our servers and is read on phones. The message points to the inbox, where
the handler signs in with two factors and unlocks their key.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from tabyin.core.enums import Role
from tabyin.core.models import Membership, User

SUBJECTS = {
    "new": "A report is waiting in your unit's inbox",
    "message": "A reporter has sent a message",
    "due": "A report is close to its deadline",
    "expiry": "Reports will be deleted at the end of their retention period",
    "transfer": "A report was transferred to your unit",
    "identity": "An identity request is waiting for a custodian",
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
        sent += send_mail(subject, body, None, [user.email], fail_silently=True)
    return sent

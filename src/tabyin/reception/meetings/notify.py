"""The short messages a person registered for a meeting receives: the confirmation code, a seat
freed from the waiting list, and the reminder. By SMS through core's backend or by e-mail."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from tabyin.core import sms
from tabyin.core.display.numbers import localize_digits
from tabyin.core.jalali import format_datetime
from tabyin.reception.meetings.enums import ContactKind
from tabyin.reception.meetings.models import Registration

log = logging.getLogger(__name__)


def _deliver(registration: Registration, subject: str, text: str, key: str) -> bool:
    if registration.contact_kind == ContactKind.PHONE:
        result = sms.send(registration.contact, text, idempotency_key=key)
        if not result.ok:
            log.warning("meeting SMS %s not sent: %s", key, result.error)
        return result.ok
    try:
        return send_mail(subject, text, None, [registration.contact]) == 1
    except OSError as error:
        log.warning("meeting e-mail %s not sent: %s", key, error)
        return False


def send_code(registration: Registration, code: str) -> bool:
    with translation.override("fa"):
        text = _("Your code for the meeting «{title}»: {code}. It is valid for 15 minutes.").format(
            title=registration.meeting.title, code=localize_digits(code, "fa")
        )
        subject = _("Confirmation code for a public meeting")
    # One key per code sent: a retried send of the same code reaches the phone once.
    sent = registration.code_sent_at.timestamp() if registration.code_sent_at else 0
    key = f"meeting-code:{registration.pk}:{sent}"
    return _deliver(registration, subject, text, key)


def send_link(registration: Registration, link: str, window: int) -> bool:
    """The address of one's own registration, sent to its contact only: someone who types another
    person's number or e-mail on the form learns nothing and can open nothing."""
    with translation.override("fa"):
        text = _("Your registration for the meeting «{title}»: {link}").format(
            title=registration.meeting.title, link=link
        )
        subject = _("Your registration for a public meeting")
    return _deliver(registration, subject, text, f"meeting-link:{registration.pk}:{window}")


def send_seat_freed(registration: Registration) -> bool:
    with translation.override("fa"):
        text = _("A seat became free: your place at «{title}» on {when} is confirmed.").format(
            title=registration.meeting.title, when=format_datetime(registration.meeting.starts_at)
        )
        subject = _("Your seat at a public meeting is confirmed")
    return _deliver(registration, subject, text, f"meeting-seat:{registration.pk}")


def send_reminder(registration: Registration) -> bool:
    meeting = registration.meeting
    with translation.override("fa"):
        text = _("Reminder: «{title}», {when}, {place}, {address}.").format(
            title=meeting.title,
            when=format_datetime(meeting.starts_at),
            place=meeting.place,
            address=meeting.address,
        )
        subject = _("Reminder of a public meeting")
    return _deliver(registration, subject, text, f"meeting-reminder:{registration.pk}")

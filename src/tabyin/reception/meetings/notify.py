"""The short messages a person registered for a meeting receives: the confirmation code, a seat
freed from the waiting list, and the reminder. By SMS through core's backend or by e-mail.

A seat confirmed, a seat freed and a reminder are public notices too (core's ledger, ADR 0040): each
goes into the registration's inbox and its SMS or e-mail is recorded there, sent or not (``_tell``).
The code is not: it is a secret, and the ledger keeps what it is told."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from tabyin.core import sms
from tabyin.core.display.numbers import localize_digits
from tabyin.core.jalali import format_datetime
from tabyin.core.notify import public
from tabyin.reception.meetings.enums import ContactKind, RegistrationState
from tabyin.reception.meetings.models import Registration

log = logging.getLogger(__name__)


def _send(registration: Registration, subject: str, text: str, key: str) -> tuple[bool, str]:
    if registration.contact_kind == ContactKind.PHONE:
        result = sms.send(registration.contact, text, idempotency_key=key)
        if not result.ok:
            log.warning("meeting SMS %s not sent: %s", key, result.error)
        return result.ok, result.message_id if result.ok else result.error
    try:
        sent = send_mail(subject, text, None, [registration.contact]) == 1
        return sent, "" if sent else "not accepted"
    except OSError as error:
        log.warning("meeting e-mail %s not sent: %s", key, error)
        return False, str(error)


def _deliver(registration: Registration, subject: str, text: str, key: str) -> bool:
    return _send(registration, subject, text, key)[0]


def ref_of(registration: Registration) -> str:
    return f"registration-{registration.pk}"


def _tell(registration: Registration, subject: str, text: str, key: str, *, send: bool = True) -> bool:
    """Into the registration's inbox once per ``key``; then its SMS or e-mail, recorded."""
    ref = ref_of(registration)
    public.tell_public(app="meetings", ref=ref, key=key, title=subject, body=text)
    if not send:
        return True
    ok, result = _send(registration, subject, text, key)
    channel = "sms" if registration.contact_kind == ContactKind.PHONE else "email"
    public.record_sent(
        app="meetings", ref=ref, key=key, channel=channel, address=registration.contact, ok=ok, result=result
    )
    return ok


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
    return _tell(registration, subject, text, f"meeting-seat:{registration.pk}")


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
    return _tell(registration, subject, text, f"meeting-reminder:{registration.pk}")


def tell_confirmed(registration: Registration) -> None:
    """The seat (or the place on the waiting list) the code took: shown on the page at once, so
    only put in the inbox, not sent again."""
    with translation.override("fa"):
        if registration.state == RegistrationState.WAITLISTED:
            text = _("You are on the waiting list for «{title}».").format(title=registration.meeting.title)
        else:
            text = _("Your seat at «{title}» on {when} is confirmed.").format(
                title=registration.meeting.title, when=format_datetime(registration.meeting.starts_at)
            )
        subject = _("Your registration for a public meeting")
    _tell(registration, subject, text, f"meeting-confirmed:{registration.pk}", send=False)

"""How people hear about new work: the one place every app tells staff through.

``tell`` puts an item in the person's in-app inbox once (per app and key) and, on the outside
channels they chose (e-mail, the messenger bot), sends it now, or holds it: during their quiet
hours (Tehran wall-clock time) until they end, or for the daily digest. Every outside message is a
``NotifyDelivery`` row, the ledger of what reached whom. ``work_scan`` (a periodic job) tells each
staff member about every item of "my work" (``registry.work_for``) they have not been told of;
``flush`` sends what was held once its time has come.

Apps tell through here instead of their own mail code (the reports app's staff e-mails do); what
they pass as ``title`` and ``body`` goes to mail servers and phones, so it must say no more than
the app allows (a report's notice says only that something waits).
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from datetime import datetime, time

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tabyin.core.display.numbers import localize_digits
from tabyin.core.enums import AuditAction
from tabyin.core.jalali import TEHRAN
from tabyin.core.models import InboxItem, Membership, NotifyDelivery, NotifyPreference, User
from tabyin.core.models_notify import NotifyChannel, NotifyState
from tabyin.core.notify import bot
from tabyin.core.registry import registry
from tabyin.core.services import audit_record

log = logging.getLogger(__name__)


def in_quiet_hours(moment: time, start: time | None, end: time | None) -> bool:
    """Whether a Tehran wall-clock ``moment`` falls in [start, end); a window may span midnight
    (22:00–07:00). No window, or an empty one (start == end), is never quiet."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def preference_of(user: User) -> NotifyPreference:
    """The person's choices; the defaults (e-mail on, no quiet hours, no digest) until they save."""
    found = NotifyPreference.objects.filter(user=user).first()
    return found if found is not None else NotifyPreference(user=user)


def preference_save(*, actor: User, preference: NotifyPreference) -> NotifyPreference:
    """Save the actor's own choices (nobody sets another person's), audited."""
    if preference.user_id != actor.pk:
        raise PermissionError("one sets only one's own notifications")
    before = NotifyPreference.objects.filter(pk=preference.pk).values().first() if preference.pk else None
    preference.save()
    after = NotifyPreference.objects.filter(pk=preference.pk).values().first()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=preference,
        before={k: str(v) for k, v in (before or {}).items()},
        after={k: str(v) for k, v in (after or {}).items()},
    )
    return preference


def bot_available() -> bool:
    return bool(settings.TABYIN_NOTIFY_BOT_TOKEN)


def _targets(user: User, preference: NotifyPreference) -> list[tuple[str, str]]:
    found = []
    if preference.email and user.email:
        found.append((NotifyChannel.EMAIL.value, user.email))
    if preference.bot and preference.bot_chat_id and bot_available():
        found.append((NotifyChannel.BOT.value, preference.bot_chat_id))
    return found


def _held(preference: NotifyPreference, now: datetime) -> bool:
    local = now.astimezone(TEHRAN).time()
    return preference.digest or in_quiet_hours(local, preference.quiet_from, preference.quiet_until)


def tell(
    *, user: User, app: str, key: str, title: str, url: str, body: str = "", now: datetime | None = None
) -> InboxItem | None:
    """Tell ``user`` once about (``app``, ``key``): the inbox item, and each chosen outside channel
    sent now or held. ``None`` when they were already told. ``body`` replaces the e-mail's default
    text (the title and the link)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            item = InboxItem.objects.create(
                user=user, app=app, key=key, title=title[:300], url=url[:300], created_at=now
            )
    except IntegrityError:
        return None
    preference = preference_of(user)
    held = _held(preference, now)
    for channel, target in _targets(user, preference):
        delivery = NotifyDelivery.objects.create(
            item=item, channel=channel, target=target, state=NotifyState.HELD, created_at=now
        )
        if not held:
            _deliver([delivery], now, subject=title, body=body)
    return item


def _link(url: str) -> str:
    return f"{settings.TABYIN_SITE_URL}{url}" if url.startswith("/") else url


def _text(items: list[InboxItem], body: str) -> str:
    if body:
        return body
    return "\n".join(f"• {item.title}\n  {_link(item.url)}" for item in items)


def _deliver(deliveries: list[NotifyDelivery], now: datetime, *, subject: str = "", body: str = "") -> None:
    """One message carrying every delivery's item, on their (one) channel to their (one) target;
    the ledger rows say whether it went."""
    first = deliveries[0]
    items = [d.item for d in deliveries]
    with translation.override(settings.LANGUAGE_CODE):
        subject = subject or _("New work is waiting for you in Tabyin (%(n)s)") % {
            "n": localize_digits(str(len(items)), settings.LANGUAGE_CODE)
        }
        text = _text(items, body)
    state, detail = NotifyState.SENT, ""
    try:
        if first.channel == NotifyChannel.EMAIL:
            send_mail(subject, text, None, [first.target])
        else:
            bot.send_message(
                base_url=settings.TABYIN_NOTIFY_BOT_API_BASE,
                token=settings.TABYIN_NOTIFY_BOT_TOKEN,
                chat_id=first.target,
                text=f"{subject}\n\n{text}",
            )
    except (OSError, smtplib.SMTPException, bot.BotError) as error:
        # Kept in the ledger, not retried: the inbox and "my work" still show the item.
        detail = str(error) if isinstance(error, bot.BotError) else type(error).__name__
        state, detail = NotifyState.FAILED, detail[:300]
        log.warning("notify: %s to user %s failed (%s)", first.channel, first.item.user_id, detail)
    NotifyDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        state=state, detail=detail, sent_at=now if state == NotifyState.SENT else None
    )


def flush(*, now: datetime | None = None) -> int:
    """Send what was held and is due: after quiet hours, one message per person and channel; for a
    digest, one message a day at the person's digest hour (Tehran). Returns messages sent."""
    now = now or timezone.now()
    groups: dict[tuple[int, str, str], list[NotifyDelivery]] = defaultdict(list)
    for d in (
        NotifyDelivery.objects.filter(state=NotifyState.HELD).select_related("item__user").order_by("id")
    ):
        groups[(d.item.user_id, d.channel, d.target)].append(d)
    sent = 0
    local = now.astimezone(TEHRAN)
    for deliveries in groups.values():
        preference = preference_of(deliveries[0].item.user)
        if in_quiet_hours(local.time(), preference.quiet_from, preference.quiet_until):
            continue
        if preference.digest:
            if local.hour < preference.digest_hour or preference.digest_sent_on == local.date():
                continue
            preference.digest_sent_on = local.date()
            if preference.pk:
                NotifyPreference.objects.filter(pk=preference.pk).update(digest_sent_on=local.date())
        _deliver(deliveries, now)
        sent += 1
    return sent


def staff_to_scan() -> list[User]:
    ids = Membership.objects.values("user_id")
    return list(User.objects.filter(id__in=ids, is_active=True, is_staff=True).order_by("id"))


def work_scan(*, now: datetime | None = None) -> int:
    """Tell every staff member about each waiting item they have not been told of (titles in the
    site's language), then send what is due. Returns how many items were newly told."""
    now = now or timezone.now()
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in staff_to_scan():
            for item in registry.work_for(user, now):
                found = tell(
                    user=user, app=item.app, key=item.key, title=str(item.title), url=item.url, now=now
                )
                told += found is not None
    flush(now=now)
    return told


def inbox_mark_read(*, actor: User, now: datetime | None = None) -> int:
    return InboxItem.objects.filter(user=actor, read_at=None).update(read_at=now or timezone.now())

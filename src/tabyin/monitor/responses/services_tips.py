"""The public tipline: "is this true?" items sent in by anyone, and telling them the answer.

A tip is fed through the ingestion pipeline as a post of the pseudo-source "tipline:public", so it
joins the story it copies (or starts one) and counts as one more place the item was seen. A sender
may leave an e-mail address; it is used once, to say that an answer is published, and then erased.
Submissions are counted per browser session and clock hour in the shared cache
(``TABYIN_MONITOR_TIPS_PER_HOUR``), and for the whole site per clock hour
(``TABYIN_MONITOR_TIPS_SITE_PER_HOUR``): a client that drops its session cookie gets a new session
each time, and only the site-wide count, which keeps nothing about anybody, stops it.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tabyin.core.notify import public as public_notify
from tabyin.monitor.enums import TipStatus
from tabyin.monitor.ingest import services as services_ingest
from tabyin.monitor.models import Post, Response, Tip
from tabyin.monitor.pipeline.types import RawPost
from tabyin.monitor.responses import services_publish

log = logging.getLogger(__name__)

TIP_SOURCE = "tipline:public"
TIP_SOURCE_NAME = "Public tipline"
TEXT_MAX = 4_000
LINK_MAX = 1_000
RATE_WINDOW_SECONDS = 3600


class TooManyTipsError(Exception):
    """The session sent more tips this hour than ``TABYIN_MONITOR_TIPS_PER_HOUR``, or everybody
    together more than ``TABYIN_MONITOR_TIPS_SITE_PER_HOUR`` (``site_wide``)."""

    def __init__(self, *, site_wide: bool = False) -> None:
        super().__init__("site-wide tip limit" if site_wide else "tip limit of this session")
        self.site_wide = site_wide


LINK_ERROR = gettext_lazy("Enter a web address that starts with http:// or https://.")
CONTACT_ERROR = gettext_lazy("Enter an e-mail address such as name@example.com, or leave it empty.")


def clean_link(value: str) -> str:
    link = (value or "").strip()
    if link:
        try:
            if len(link) > LINK_MAX:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError(str(LINK_ERROR)) from None
    return link


def clean_contact(value: str) -> str:
    contact = (value or "").strip()
    if contact:
        try:
            validate_email(contact)
        except ValidationError:
            raise ValidationError(str(CONTACT_ERROR)) from None
    return contact


def _clean(text: str, link: str, contact: str) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write or paste the item you want to ask about.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("Please keep this under %(n)d characters.") % {"n": TEXT_MAX}
    for name, check, value in (("link", clean_link, link), ("contact", clean_contact, contact)):
        try:
            check(value)
        except ValidationError as error:
            errors[name] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return text, clean_link(link), clean_contact(contact)


# The site-wide counter's name: no session key is 36 characters of this alphabet.
_SITE = "*site*"


def _key(session_key: str) -> str:
    # One counter per session per clock hour: a fixed window that needs no sliding bookkeeping.
    return f"monitor-tips:{session_key}:{int(timezone.now().timestamp()) // RATE_WINDOW_SECONDS}"


def _count(session_key: str) -> int:
    """Count one more tip for this session (or ``_SITE``) in the current hour; returns the new count."""
    cache = caches["shared"]
    key = _key(session_key)
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        return 1
    # The database cache's incr() re-sets the value with the default timeout (5 minutes).
    cache.touch(key, RATE_WINDOW_SECONDS)
    return count


def tips_left(session_key: str) -> int:
    used = int(caches["shared"].get(_key(session_key), 0))
    return max(0, settings.TABYIN_MONITOR_TIPS_PER_HOUR - used)


def tip_submit(*, text: str, link: str, contact: str, session_key: str) -> Tip:
    """Validate, rate-limit and store a tip, then ingest it so it joins the story it copies."""
    text, link, contact = _clean(text, link, contact)
    if not session_key:
        raise ValueError("a tip needs a session")
    if _count(session_key) > settings.TABYIN_MONITOR_TIPS_PER_HOUR:
        raise TooManyTipsError
    if _count(_SITE) > settings.TABYIN_MONITOR_TIPS_SITE_PER_HOUR:
        raise TooManyTipsError(site_wide=True)
    with transaction.atomic():
        tip = Tip.objects.create(text=text, link=link, contact=contact, created_at=timezone.now())
        summary = services_ingest.ingest(
            [
                RawPost(
                    source=TIP_SOURCE,
                    post_id=f"tip-{tip.pk}",
                    text=text,
                    published_at=tip.created_at,
                    date_unknown=True,  # when the tip arrived, not when what it copies was published
                    url=link,
                    source_name=TIP_SOURCE_NAME,
                )
            ]
        )
        kind, handle = TIP_SOURCE.split(":", 1)
        post = Post.objects.filter(source__kind=kind, source__handle=handle, post_id=f"tip-{tip.pk}").first()
        if post is None:
            # Kept as NEW: staff still see it; it just joins no story.
            log.warning("monitor: tip %s was not ingested (%s)", tip.pk, summary.errors)
        else:
            tip.post = post
            tip.status = TipStatus.LINKED
            tip.save(update_fields=["post", "status"])
    return tip


def tips_notify(*, response: Response) -> int:
    """Tell each sender who asked about the answered story; erase their address once told.

    Returns how many e-mails were sent. A sender whose e-mail fails keeps their address (and
    ``notified_at`` stays empty), so the next run tries again; tips without contact are closed.
    """
    tips = Tip.objects.filter(post__story_id=response.story_id, notified_at__isnull=True).exclude(
        status=TipStatus.ANSWERED, contact=""
    )
    url = services_publish.public_url(response)
    with translation.override("fa"):
        subject = _("Your question has been answered")
        body = _(
            "You asked us whether an item was true. We have published an answer:\n\n%(title)s\n%(url)s\n\n"
            "We have now erased your e-mail address; this is the only message you will receive from us "
            "about it."
        ) % {"title": response.title, "url": url}
    sent = 0
    for tip in tips.order_by("id"):
        # Into the tip's inbox in core's ledger (ADR 0040), with or without an address; the e-mail
        # below is recorded there, sent or not. The address itself is kept only as a keyed hash.
        ref, key = f"tip-{tip.pk}", f"answered-{response.pk}"
        public_notify.tell_public(
            app="monitor", ref=ref, key=key, title=subject, body=response.title, url=url
        )
        if not tip.contact:
            tip.status = TipStatus.ANSWERED
            tip.save(update_fields=["status"])
            continue
        try:
            delivered = send_mail(subject, body, None, [tip.contact])
        except (OSError, smtplib.SMTPException) as error:
            log.warning("monitor: could not e-mail the sender of tip %s (%s)", tip.pk, type(error).__name__)
            delivered = 0
        public_notify.record_sent(
            app="monitor", ref=ref, key=key, channel="email", address=tip.contact, ok=bool(delivered),
            result="" if delivered else "not sent",
        )  # fmt: skip
        if not delivered:
            continue
        sent += 1
        tip.contact = ""
        tip.notified_at = timezone.now()
        tip.status = TipStatus.ANSWERED
        tip.save(update_fields=["contact", "notified_at", "status"])
    return sent

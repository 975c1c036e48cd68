"""The daily brief for senior managers: built, kept (HTML and PDF) and e-mailed once a day.

``brief_build(day=D)`` renders ``monitor/brief/brief.html`` from ``briefs.selectors.brief_content``
and stores one ``Brief`` per Tehran day (a rebuild replaces it, except once it has been sent: what
was sent is kept as sent). The PDF is drawn by WeasyPrint from the same template and content: only
the font addresses differ (``file:`` for WeasyPrint, the site's own static URL for mail clients and
browsers). Pango and HarfBuzz shape Persian correctly; a URL fetcher refuses every resource that is
not one of the shipped Vazirmatn files, so building a PDF never makes a request.

Every morning at ``TABYIN_MONITOR_BRIEF_HOUR`` (Tehran), ``brief_run_daily`` builds the brief of
the day before (a complete day) and e-mails it; ``brief_send`` claims the row before sending so two
workers never send the same day twice.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any, Final

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tabyin.core import services as core_services
from tabyin.core.demo import is_demo
from tabyin.core.display.numbers import format_duration
from tabyin.core.enums import AuditAction, Role
from tabyin.core.files import pdf as core_pdf
from tabyin.core.jalali import TEHRAN, format_date
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions
from tabyin.monitor.briefs.selectors import BriefContent, brief_content, local_day
from tabyin.monitor.enums import ResponseStatus, Sentiment
from tabyin.monitor.models import Brief
from tabyin.monitor.pipeline.clock import ResponseTime
from tabyin.monitor.pipeline.clock import duration_text as clock_text

log = logging.getLogger(__name__)

TEMPLATE: Final = "monitor/brief/brief.html"
TEXT_TEMPLATE: Final = "monitor/brief/brief.txt"


def _site_font_urls() -> dict[str, str]:
    urls = {}
    for weight, name in core_pdf.FONTS.items():
        try:
            path = static(name)
        except ValueError:  # no manifest yet (static files not collected): the plain address
            path = settings.STATIC_URL + name
        urls[weight] = path if "://" in path else settings.TABYIN_SITE_URL + path
    return urls


def duration_text(value: timedelta | None) -> str:
    """How long an acknowledgement took, on the one duration format: «۲ ساعت و ۱۵ دقیقه»."""
    return "" if value is None else format_duration(value, get_language())


def answer_time_text(value: ResponseTime | None) -> str:
    """The response time on the one clock, both figures labelled, as the story page prints it."""
    if value is None:
        return ""
    language = "fa" if (get_language() or "").startswith("fa") else "en"
    return _("%(detection)s from detection, %(first)s from the first post") % {
        "detection": clock_text(value.from_detection, language),
        "first": clock_text(value.from_first_post, language),
    }


def _context(
    content: BriefContent, fonts: dict[str, str], language: str, made_at: datetime
) -> dict[str, Any]:
    statuses = dict(ResponseStatus.choices)
    sentiments = dict(Sentiment.choices)
    return {
        "c": content,
        "title": _("Daily media brief: %(day)s") % {"day": format_date(content.day, language)},
        "fonts": fonts,
        "language": language,
        "rtl": language == "fa",
        "site_name": settings.TABYIN_SITE_NAME,
        "site_url": settings.TABYIN_SITE_URL,
        "demo_mode": is_demo(),
        "generated_at": made_at,
        "change": content.change_percent,
        "change_abs": abs(content.change_percent) if content.change_percent is not None else None,
        "sentiment": [
            (value, sentiments[value], content.sentiment[value], content.sentiment_percent[value])
            for value in Sentiment.values
        ],
        "stories": [(s, sentiments.get(s.sentiment, s.sentiment)) for s in content.top_stories],
        "rumors": [
            (r, statuses.get(r.status, _("No answer drafted yet")), answer_time_text(r.time_to_answer))
            for r in content.rumors
        ],
        "alerts": [(a, duration_text(a.time_to_acknowledge)) for a in content.alerts],
    }


def render_brief(content: BriefContent, *, made_at: datetime, pdf: bool = False) -> str:
    """The brief as HTML, in the site's language: for mail and browsers, or for WeasyPrint."""
    language = "en" if settings.LANGUAGE_CODE.startswith("en") else "fa"
    fonts = core_pdf.font_uris() if pdf else _site_font_urls()
    with translation.override(language):
        return render_to_string(TEMPLATE, _context(content, fonts, language, made_at))


def render_pdf(content: BriefContent, *, made_at: datetime) -> bytes:
    return core_pdf.html_to_pdf(render_brief(content, made_at=made_at, pdf=True))


def pdf_filename(day: date) -> str:
    return f"tabyin-brief-{day.isoformat()}.pdf"


# --- Building and sending ------------------------------------------------------------------------


def brief_build(*, day: date, now: datetime | None = None, force: bool = False) -> Brief:
    """Build (or rebuild) the brief of ``day``. A brief already sent is returned unchanged unless
    ``force``: the copy kept is the one the managers received."""
    now = now or timezone.now()
    existing = Brief.objects.filter(day=day).first()
    if existing is not None and existing.sent_at is not None and not force:
        return existing
    content = brief_content(day=day, now=now)
    html = render_brief(content, made_at=now)
    pdf = render_pdf(content, made_at=now)
    brief, _created = Brief.objects.update_or_create(
        day=day, defaults={"html": html, "pdf": pdf, "created_at": now, "stories": _named(content)}
    )
    return brief


def _named(content: BriefContent) -> list[dict[str, Any]]:
    """The stories the brief names, each once: top stories first, then rumors."""
    seen: dict[int, str] = {}
    for story in content.top_stories:
        seen.setdefault(story.id, story.title)
    for rumor in content.rumors:
        seen.setdefault(rumor.id, rumor.title)
    return [{"id": pk, "title": title} for pk, title in seen.items()]


def brief_recipients() -> list[str]:
    """``TABYIN_MONITOR_BRIEF_RECIPIENTS``, or when empty every active senior manager of a
    national unit (HQ and its offices) who has an e-mail address."""
    configured = [a.strip() for a in settings.TABYIN_MONITOR_BRIEF_RECIPIENTS if a.strip()]
    if configured:
        return sorted(set(configured))
    emails = (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.SENIOR_MANAGER,
            memberships__unit__province__isnull=True,
            memberships__unit__is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted({e.strip() for e in emails if e.strip()})


def _message(brief: Brief, to: str) -> EmailMultiAlternatives:
    language = "en" if settings.LANGUAGE_CODE.startswith("en") else "fa"
    with translation.override(language):
        subject = _("Daily media brief: %(day)s") % {"day": format_date(brief.day, language)}
        text = render_to_string(
            TEXT_TEMPLATE,
            {"brief": brief, "site_name": settings.TABYIN_SITE_NAME, "url": brief_page_url(brief.day)},
        )
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    message.attach_alternative(brief.html, "text/html")
    message.attach(pdf_filename(brief.day), bytes(brief.pdf), "application/pdf")
    return message


def brief_page_url(day: date) -> str:
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return settings.TABYIN_SITE_URL + reverse("monitor:brief", args=[day.isoformat()])
    except NoReverseMatch:
        return ""


def brief_send(*, brief: Brief, force: bool = False, now: datetime | None = None) -> int:
    """E-mail the brief (HTML, a plain-text part and the PDF) to each recipient, one message each.

    Returns how many messages were sent, 0 when it had been sent already. The row is claimed
    (``sent_at`` set where it was empty) before anything is sent, so a day is never sent twice,
    even by two workers at once. If no message at all could be sent the claim is released and the
    error raised (the periodic job tries again ten minutes later); if only some failed, those are
    logged and the others are not sent a second copy.
    """
    now = now or timezone.now()
    claimed = Brief.objects.filter(pk=brief.pk, sent_at__isnull=True).update(sent_at=now)
    if not claimed and not force:
        return 0
    recipients = brief_recipients()
    if not recipients:
        log.warning("daily brief %s: nobody to send it to (none configured, no senior manager)", brief.day)
    sent, error = 0, None
    for to in recipients:
        try:
            sent += _message(brief, to).send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - one bad address or a refused message must not stop the others
            log.warning("daily brief %s: sending to one recipient failed: %s", brief.day, type(exc).__name__)
            error = exc
    if error is not None and not sent:
        if claimed:
            Brief.objects.filter(pk=brief.pk).update(sent_at=None)
        raise error
    Brief.objects.filter(pk=brief.pk).update(sent_at=now, recipients=sent)
    brief.sent_at, brief.recipients = now, sent
    return sent


def brief_due(*, now: datetime) -> bool:
    """Tehran hour at or past ``TABYIN_MONITOR_BRIEF_HOUR`` and the brief of yesterday (the day
    this morning's brief reports on) not sent yet."""
    local = timezone.localtime(now, timezone=TEHRAN)
    if local.hour < settings.TABYIN_MONITOR_BRIEF_HOUR:
        return False
    return not Brief.objects.filter(day=local.date() - timedelta(days=1), sent_at__isnull=False).exists()


def brief_run_daily(*, now: datetime | None = None) -> Brief | None:
    """What the periodic job does: when due, build yesterday's brief and send it."""
    now = now or timezone.now()
    if not brief_due(now=now):
        return None
    brief = brief_build(day=local_day(now) - timedelta(days=1), now=now)
    brief_send(brief=brief, now=now)
    return brief


def can_build(user: User) -> bool:
    return scope_for(user).has_national_role(Role.ANALYST, Role.SENIOR_MANAGER)


@transaction.atomic
def brief_build_now(*, user: User, now: datetime | None = None) -> Brief:
    """A manager's or analyst's "build today's brief now": today so far (nothing is e-mailed)."""
    permissions.require(can_build(user), "only analysts and senior managers build briefs")
    now = now or timezone.now()
    day = local_day(now)
    existed = Brief.objects.filter(day=day).exists()
    brief = brief_build(day=day, now=now)
    core_services.audit_record(
        actor=user,
        action=AuditAction.UPDATE if existed else AuditAction.CREATE,
        obj=brief,
        after={"day": day.isoformat(), "built_at": now.isoformat()},
    )
    return brief

"""The staff calendar: a month as a table (and as an agenda list, which phones show instead), its
.ics download, and the personal feed calendar programs subscribe to (no session: the address is
the secret)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import jdatetime
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tabyin.core.calendar import selectors, services
from tabyin.core.calendar.days import Month, month_of
from tabyin.core.calendar.ics import to_ics
from tabyin.core.decorators import staff_required
from tabyin.core.display.numbers import localize_digits
from tabyin.core.http import page_language, staff_user
from tabyin.core.jalali import format_date, format_datetime, format_month, parse_period_code, to_jalali
from tabyin.core.models import User

# Django's own catalogue translates the weekday names; the Iranian week starts on Saturday.
WEEKDAYS = ("Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
# The feed: what a subscribed calendar program holds (a month back, a year ahead).
FEED_DAYS_BACK = 31
FEED_DAYS_AHEAD = 366


@dataclass(frozen=True)
class Shown:
    entry: selectors.Entry
    when: str


@dataclass(frozen=True)
class Cell:
    day: date
    label: str
    today: bool
    entries: list[Shown]


def _when(entry: selectors.Entry, language: str) -> str:
    event = entry.event
    if not event.all_day:
        return format_datetime(event.start, language)
    if entry.last > entry.first:
        return _("%(first)s to %(last)s") % {
            "first": format_date(entry.first, language),
            "last": format_date(entry.last, language),
        }
    return format_date(entry.first, language)


def _month(request: HttpRequest, today: date) -> Month:
    code = request.GET.get("month", "")
    if code:
        try:
            year, number = parse_period_code(code)
            return month_of(jdatetime.date(year, number, 1).togregorian())
        except ValueError:
            messages.error(request, _("That month could not be read; this month is shown instead."))
    return month_of(today)


def _province(request: HttpRequest, user: User) -> str:
    """The province filter: only a national person chooses one (a provincial one sees their own)."""
    code = request.GET.get("province", "")
    if not code or selectors.own_provinces(user) is not None:
        return ""
    return code if code in selectors.provinces() else ""


@staff_required
def month(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    language = page_language()
    today = timezone.localdate()
    shown_month = _month(request, today)
    province = _province(request, user)
    entries = [
        Shown(entry, _when(entry, language))
        for entry in selectors.entries_for(user, shown_month.first, shown_month.last, province, language)
    ]
    weeks = [
        [
            Cell(
                day,
                localize_digits(str(int(to_jalali(day).day)), language),
                day == today,
                [s for s in entries if s.entry.on(day)],
            )
            if day is not None
            else None
            for day in week
        ]
        for week in shown_month.weeks()
    ]
    query = {"month": shown_month.code, **({"province": province} if province else {})}
    national = selectors.own_provinces(user) is None
    return render(
        request,
        "core_calendar/month.html",
        {
            "month": shown_month,
            "title": format_month(shown_month.first, language),
            "previous": shown_month.shifted(-1).code,
            "next": shown_month.shifted(1).code,
            "weekdays": [_(name) for name in WEEKDAYS],
            "weeks": weeks,
            "entries": entries,
            "provinces": [(code, unit.name(language)) for code, unit in selectors.provinces().items()]
            if national
            else [],
            "province": province,
            "query": query,
            "has_feed": selectors.has_feed(user),
        },
    )


def _ics(user: User, first: date, last: date, province: str, name: str) -> HttpResponse:
    language = page_language()
    events = [e.event for e in selectors.entries_for(user, first, last, province, language)]
    body = to_ics(
        events,
        name=name,
        site_url=settings.TABYIN_SITE_URL,
        host=settings.TABYIN_SITE_URL.split("://")[-1].split("/")[0] or "tabyin",
        now=timezone.now(),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@staff_required
def export(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    shown_month = _month(request, timezone.localdate())
    province = _province(request, user)
    response = _ics(user, shown_month.first, shown_month.last, province, str(_("Tabyin staff calendar")))
    suffix = f"-{province}" if province else ""
    response["Content-Disposition"] = f'attachment; filename="tabyin-calendar-{shown_month.code}{suffix}.ics"'
    return response


def feed(request: HttpRequest, token: str) -> HttpResponse:
    user = selectors.user_for_token(token)
    if user is None:
        raise Http404
    services.feed_used(user)
    today = timezone.localdate()
    first, last = today - timedelta(days=FEED_DAYS_BACK), today + timedelta(days=FEED_DAYS_AHEAD)
    return _ics(user, first, last, "", str(_("Tabyin staff calendar")))


@staff_required
@require_POST
def feed_issue(request: HttpRequest) -> HttpResponse:
    token = services.feed_token_issue(actor=staff_user(request))
    address = request.build_absolute_uri(reverse("core:calendar-feed", args=[token]))
    # Shown on this response only: the token is not kept and cannot be read back.
    return render(request, "core_calendar/feed.html", {"address": address})


@staff_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    if services.feed_token_revoke(actor=staff_user(request)):
        messages.success(request, _("Your calendar feed address no longer works."))
    return redirect("core:calendar")

"""Building, keeping and e-mailing the daily brief: the HTML and the PDF (real Persian shaping), one
row per day, sent once, to the right people, when the brief hour has come in Tehran."""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.monitor.briefs import tasks as tasks_brief
from tabyin.monitor.briefs.services import brief_build, brief_due, brief_recipients, brief_send
from tabyin.monitor.models import Brief
from tests import factories
from tests.monitor.test_brief_content import DAY, Day, at, brief_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(org: None) -> Day:
    return brief_day()


@pytest.fixture
def managers(org: None) -> list[User]:
    """Two HQ senior managers with addresses, and people who must not receive the brief."""
    people = [
        ("hq.manager", "hq", Role.SENIOR_MANAGER, "manager@example.org", True),
        ("hq.manager2", "hq", Role.SENIOR_MANAGER, "deputy@example.org", True),
        ("hq.manager3", "hq", Role.SENIOR_MANAGER, "", True),  # no address
        ("hq.gone", "hq", Role.SENIOR_MANAGER, "gone@example.org", False),  # left
        ("tehran.manager", "ir-23", Role.SENIOR_MANAGER, "tehran@example.org", True),  # provincial
        ("hq.analyst", "hq", Role.ANALYST, "analyst@example.org", True),
    ]
    users = []
    for username, unit, role, email, active in people:
        user = factories.persona(username, unit, role)
        User.objects.filter(pk=user.pk).update(email=email, is_active=active)
        users.append(user)
    return users


# --- The PDF text, read as tests/scorecard/test_exports.py does (no PDF library is a dependency) --


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        start = match.end()
        try:
            out.append(zlib.decompressobj().decompress(pdf[start : pdf.find(b"endstream", start)]))
        except zlib.error:
            continue
    return out


def _glyphs(pdf: bytes) -> dict[str, set[tuple[int, bytes]]]:
    """Character -> the glyphs (font stream, glyph id) the ToUnicode maps give for it. Shaped
    Persian uses several glyphs per letter (isolated, initial, medial, final forms); text drawn
    letter by letter without shaping would have one glyph per letter."""
    out: dict[str, set[tuple[int, bytes]]] = defaultdict(set)
    for n, stream in enumerate(_streams(pdf)):
        if b"begincmap" not in stream:
            continue
        for gid, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]{4,})>", stream):
            for char in bytes.fromhex(text.decode()).decode("utf-16-be", errors="replace"):
                out[char].add((n, gid))
    return out


def _fonts(pdf: bytes) -> set[str]:
    return {
        name.decode().split("+", 1)[-1]
        for stream in [pdf, *_streams(pdf)]
        for name in re.findall(rb"/BaseFont\s*/([A-Za-z0-9+_-]+)", stream)
    }


def test_the_brief_is_kept_as_html_and_a_pdf_with_shaped_persian(day: Day) -> None:
    brief = brief_build(day=DAY, now=at(1, "07:00"))

    assert (brief.day, brief.created_at, brief.sent_at, brief.recipients) == (DAY, at(1, "07:00"), None, 0)
    html = brief.html
    assert html.startswith('<!doctype html>\n<html lang="fa" dir="rtl">')
    assert "۱۴ آذر ۱۴۰۴" in html
    assert 'data-testid="mentions">۹</span>' in html
    assert 'data-testid="new-stories">۲</span>' in html
    assert 'data-testid="alerts">۲</span>' in html
    assert 'data-testid="rumors-open">۲</span>' in html
    assert "۸۰٫۰" in html  # mentions up 80 % on the day before
    assert "شایعهٔ قطع مستمری بازنشستگان" in html
    assert "نتایج لیگ فوتبال" not in html  # matches no watch query
    assert re.search(r"<style>.*?</style>", html, re.DOTALL)
    assert "style=" not in html and "<script" not in html

    pdf = bytes(brief.pdf)
    assert pdf.startswith(b"%PDF-")
    assert _fonts(pdf) == {"Vazirmatn", "Vazirmatn-Bold"}
    glyphs = _glyphs(pdf)
    assert set("شایعهٔقطمستریبازنگدوپوشیلحف۰۱۲۳۴۵۹آذر") <= set(glyphs)
    # Letters joined on both sides in the titles: each drawn with more than one glyph form.
    for letter in "بتسشمنیه":
        assert len(glyphs[letter]) >= 2, letter


def test_the_pdf_of_an_english_site_too(day: Day, settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"

    brief = brief_build(day=DAY, now=at(1, "07:00"))

    assert brief.html.startswith('<!doctype html>\n<html lang="en" dir="ltr">')
    assert "14 Azar 1404" in brief.html
    assert set("Daily brief14Azar") <= set(_glyphs(bytes(brief.pdf)))


def test_a_rebuild_replaces_the_day_but_a_sent_brief_stays_as_sent(day: Day, managers: list[User]) -> None:
    first = brief_build(day=DAY, now=at(0, "10:50"))
    assert 'data-testid="mentions">۵</span>' in first.html

    second = brief_build(day=DAY, now=at(1, "07:00"))

    assert Brief.objects.count() == 1
    assert (second.pk, second.created_at) == (first.pk, at(1, "07:00"))
    assert 'data-testid="mentions">۹</span>' in second.html
    brief_send(brief=second, now=at(1, "07:00"))
    Brief.objects.filter(pk=second.pk).update(html="as sent")

    again = brief_build(day=DAY, now=at(1, "09:00"))
    assert (again.html, again.created_at) == ("as sent", at(1, "07:00"))
    forced = brief_build(day=DAY, now=at(1, "09:00"), force=True)
    assert 'data-testid="mentions">۹</span>' in forced.html
    assert forced.sent_at == at(1, "07:00")


def test_recipients_are_national_senior_managers_with_an_address(managers: list[User], settings: Any) -> None:
    assert brief_recipients() == ["deputy@example.org", "manager@example.org"]

    settings.TABYIN_MONITOR_BRIEF_RECIPIENTS = ["board@example.org", " ceo@example.org", "board@example.org"]
    assert brief_recipients() == ["board@example.org", "ceo@example.org"]


def test_the_brief_is_mailed_once_with_its_pdf(day: Day, managers: list[User]) -> None:
    brief = brief_build(day=DAY, now=at(1, "07:00"))

    sent = brief_send(brief=brief, now=at(1, "07:01"))

    assert sent == 2
    assert [m.to for m in mail.outbox] == [["deputy@example.org"], ["manager@example.org"]]
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert "۱۴ آذر ۱۴۰۴" in message.subject
    assert "۱۴ آذر ۱۴۰۴" in message.body
    assert [tuple(a) for a in message.alternatives] == [(brief.html, "text/html")]
    assert message.attachments[0].filename == "tabyin-brief-2025-12-05.pdf"
    assert message.attachments[0].mimetype == "application/pdf"
    assert message.attachments[0].content == bytes(brief.pdf)
    stored = Brief.objects.get()
    assert (stored.sent_at, stored.recipients) == (at(1, "07:01"), 2)

    assert brief_send(brief=stored, now=at(1, "08:00")) == 0
    assert len(mail.outbox) == 2
    assert brief_send(brief=stored, now=at(1, "08:00"), force=True) == 2
    assert len(mail.outbox) == 4
    assert Brief.objects.get().sent_at == at(1, "08:00")


def test_a_failed_sending_is_tried_again(
    day: Day, managers: list[User], monkeypatch: pytest.MonkeyPatch
) -> None:
    brief = brief_build(day=DAY, now=at(1, "07:00"))

    def refuse(message: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(ConnectionRefusedError):
        brief_send(brief=brief, now=at(1, "07:01"))
    assert Brief.objects.get().sent_at is None
    monkeypatch.undo()

    assert brief_send(brief=brief, now=at(1, "07:11")) == 2
    assert Brief.objects.get().sent_at == at(1, "07:11")


def test_one_refused_address_does_not_stop_the_others_nor_resend_them(
    day: Day, managers: list[User], monkeypatch: pytest.MonkeyPatch
) -> None:
    brief = brief_build(day=DAY, now=at(1, "07:00"))
    real = EmailMultiAlternatives.send

    def picky(message: EmailMultiAlternatives, fail_silently: bool = False) -> int:
        if message.to == ["deputy@example.org"]:
            raise ValueError("mailbox full")
        return real(message, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", picky)

    assert brief_send(brief=brief, now=at(1, "07:01")) == 1
    assert [m.to for m in mail.outbox] == [["manager@example.org"]]
    assert (Brief.objects.get().sent_at, Brief.objects.get().recipients) == (at(1, "07:01"), 1)


def test_due_from_the_brief_hour_in_tehran_until_yesterdays_brief_is_sent(org: None, settings: Any) -> None:
    settings.TABYIN_MONITOR_BRIEF_HOUR = 7

    assert brief_due(now=at(1, "06:59")) is False
    assert brief_due(now=at(1, "07:00")) is True
    # 07:00 in Tehran is 03:30 UTC: the hour is Tehran's, not the server's.
    assert brief_due(now=datetime(2025, 12, 6, 3, 29, tzinfo=UTC)) is False
    Brief.objects.create(day=DAY, html="", pdf=b"", created_at=at(1, "07:00"))
    assert brief_due(now=at(1, "23:59")) is True  # built, not sent
    Brief.objects.filter(day=DAY).update(sent_at=at(1, "07:00"))
    assert brief_due(now=at(1, "23:59")) is False
    assert brief_due(now=at(2, "06:59")) is False
    assert brief_due(now=at(2, "07:00")) is True


def test_the_periodic_job_sends_yesterdays_brief_once(day: Day, managers: list[User], settings: Any) -> None:
    settings.TABYIN_MONITOR_BRIEF_HOUR = 7

    with time_machine.travel(at(1, "06:55"), tick=False):
        tasks_brief.daily_brief()
    assert (Brief.objects.count(), len(mail.outbox)) == (0, 0)
    with time_machine.travel(at(1, "07:05"), tick=False):
        tasks_brief.daily_brief()
    with time_machine.travel(at(1, "07:15"), tick=False):
        tasks_brief.daily_brief()

    brief = Brief.objects.get()
    assert (brief.day, brief.sent_at, brief.recipients) == (DAY, at(1, "07:05"), 2)
    assert 'data-testid="mentions">۹</span>' in brief.html
    assert len(mail.outbox) == 2


def test_the_rebuild_task_takes_an_iso_day(day: Day) -> None:
    with time_machine.travel(at(3, "12:00"), tick=False):
        tasks_brief.build_brief(day="2025-12-05")

    brief = Brief.objects.get()
    assert (brief.day, brief.sent_at) == (DAY, None)
    assert 'data-testid="mentions">۹</span>' in brief.html

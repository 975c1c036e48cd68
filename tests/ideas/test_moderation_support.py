"""Screening with reasons the author reads; staff cannot change an author's words; one support per
verified person whatever the spelling of the number; bursts flagged; insured-only challenges."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, User
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.entries.services import Draft, entry_submit
from tabyin.ideas.moderation import services as moderation
from tabyin.ideas.support import services as support
from tabyin.ideas.support.models import Support
from tests import factories
from tests.conftest import verified_client
from tests.ideas.helpers import IDEA, committed, make_challenge, verified, verify

pytestmark = pytest.mark.django_db


def _entry(phone: str = "09123456789", title: str = "نوبت پیامکی") -> tuple[Entry, str]:
    challenge = make_challenge() if not Entry.objects.exists() else Entry.objects.first().challenge  # type: ignore[union-attr]
    draft = Draft(title=title, body=IDEA["body"] + title, category="نوبت‌دهی", province_iso="IR-23")
    return entry_submit(challenge=challenge, author=verified("author", phone), draft=draft)


def test_a_reason_reaches_the_author(org: None, hq_analyst: User) -> None:
    entry, token = _entry()
    staff = verified_client(hq_analyst)
    no_reason = staff.post(f"/staff/ideas/entries/{entry.pk}/", {"decision": "rejected", "reason": ""})
    assert no_reason.status_code == 400
    reason = "این ایده بیرون از موضوع فراخوان است."
    with committed():
        done = staff.post(f"/staff/ideas/entries/{entry.pk}/", {"decision": "rejected", "reason": reason})
    assert done.status_code == 302
    page = Client().get(f"/ideas/follow/{token}/").content.decode()
    assert reason in page and "پذیرفته نشد" in page
    audit = AuditEntry.objects.filter(object_id=str(entry.pk), actor=hq_analyst).get()
    assert audit.after == {"status": "rejected", "reason": reason}
    # The author was told by SMS (console backend), in Persian.
    from tabyin.core.sms import console

    assert console.last_to("+989123456789").text.startswith("ورودی شما «نوبت پیامکی» بررسی شد")  # type: ignore[union-attr]


def test_a_moderator_cannot_edit_the_text(org: None, hq_analyst: User) -> None:
    entry, _token = _entry()
    staff = verified_client(hq_analyst)
    response = staff.post(
        f"/staff/ideas/entries/{entry.pk}/",
        {"decision": "accepted", "reason": "", "body": "متن دیگری"},
        follow=True,
    )
    assert "بررسان نمی‌توانند نوشتهٔ فرستنده را تغییر دهند" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.body, entry.status) == (IDEA["body"] + "نوبت پیامکی", EntryStatus.SUBMITTED)
    audit = AuditEntry.objects.get(object_id=str(entry.pk), after__refused="staff_text_edit")
    assert (audit.actor, audit.after["fields"]) == (hq_analyst, "body")


def test_only_moderators_screen(org: None, tehran_officer: User) -> None:
    entry, _token = _entry()
    assert verified_client(tehran_officer).get(f"/staff/ideas/entries/{entry.pk}/").status_code == 403
    with pytest.raises(ValidationError):
        moderation.entry_moderate(
            actor=factories.persona("a2", "hq", Role.ANALYST), entry=entry, decision="duplicate", reason="x"
        )


def _accepted(hq_analyst: User) -> Entry:
    entry, _token = _entry()
    return moderation.entry_moderate(actor=hq_analyst, entry=entry, decision="accepted", reason="")


def test_one_support_per_person_whatever_the_spelling(org: None, hq_analyst: User) -> None:
    entry = _accepted(hq_analyst)
    url = f"/ideas/c/queues/entries/{entry.pk}/support/"
    first = Client()
    verify(first, "support", "0935 111 2233", "+989351112233")
    assert first.post(url).status_code == 302
    second = Client()  # another browser, the same person, another spelling
    verify(second, "support", "+۹۸ ۹۳۵-۱۱۱-۲۲۳۳", "+989351112233")
    again = second.post(url)
    assert again.status_code == 409 and 'data-testid="already"' in again.content.decode()
    assert Support.objects.count() == 1
    assert AuditEntry.objects.filter(object_id=str(entry.pk), after__refused="second_support").count() == 1
    stored = Support.objects.get()
    assert "9351112233" not in stored.supporter_hash + stored.source_hash
    assert "۱ حمایت" in Client().get(f"/ideas/c/queues/entries/{entry.pk}/").content.decode()


def test_a_burst_from_one_source_is_flagged(org: None, hq_analyst: User, settings: Any) -> None:
    settings.TABYIN_IDEAS_SUPPORT_BURST = 3
    entry = _accepted(hq_analyst)
    source = support.source_hash("203.0.113.7")
    assert source == support.source_hash("203.0.113.200")  # one /24
    assert source != support.source_hash("198.51.100.7")
    for n in range(2):
        s = support.support_add(entry=entry, supporter=verified("support", f"0935111220{n}"), source=source)
        assert s.flagged is False
    third = support.support_add(entry=entry, supporter=verified("support", "09351112209"), source=source)
    assert third.flagged is True
    assert Support.objects.filter(flagged=True).count() == 3
    page = Client().get("/ideas/c/queues/").content.decode()
    assert "۰ حمایت" in page  # flagged supports are not counted until cleared
    staff = verified_client(hq_analyst)
    assert staff.post(f"/staff/ideas/entries/{entry.pk}/clear-flags/").status_code == 302
    assert Support.objects.filter(flagged=False).count() == 3


def test_insured_only_challenge_asks_the_registry(org: None, hq_analyst: User, settings: Any) -> None:
    entry = _accepted(hq_analyst)
    entry.challenge.insured_only = True
    entry.challenge.save()
    person = verified("support", "09351112233")
    with pytest.raises(ValidationError, match="در دسترس نیست"):
        support.support_add(
            entry=entry, supporter=person, source="s", insurance_number="123", national_code="0499370899"
        )
    settings.TABYIN_IDEAS_INSURED_REGISTRY = "tabyin.ideas.support.registry.checksum_only"
    with pytest.raises(ValidationError):
        support.support_add(
            entry=entry, supporter=person, source="s", insurance_number="123", national_code="0499370898"
        )
    made = support.support_add(
        entry=entry, supporter=person, source="s", insurance_number="123", national_code="0499370899"
    )
    assert made.pk is not None and Support.objects.count() == 1

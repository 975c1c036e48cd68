"""Sending an idea without an account: the one-time code, the private follow-up link, edits until
the deadline (earlier text kept), the double submission refused, e-mail as the other channel."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tabyin.core.models import AuditEntry
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry, EntryVersion
from tabyin.ideas.identity.models import OneTimeCode
from tests.ideas.helpers import IDEA, make_challenge, verify

pytestmark = pytest.mark.django_db


def _send(client: Client, data: dict[str, Any], slug: str = "queues") -> Any:
    return client.post(f"/ideas/c/{slug}/send/", {**data, "seen_similar": "1"})


def _follow_link(client: Client) -> str:
    page = client.get("/ideas/c/queues/sent/").content.decode()
    match = re.search(r'href="http://testserver(/ideas/follow/[^"]+/)"', page)
    assert match is not None
    return match.group(1)


def test_the_send_page_asks_for_a_code_first(org: None) -> None:
    make_challenge()
    response = Client().get("/ideas/c/queues/send/")
    assert response.status_code == 302
    assert response["Location"] == "/ideas/verify/author/?next=/ideas/c/queues/send/"


def test_submit_follow_and_edit_until_the_deadline(org: None) -> None:
    challenge = make_challenge()
    client = Client()
    verify(client, "author", "۰۹۱۲ ۳۴۵ ۶۷۸۹", "+989123456789")
    assert _send(client, IDEA).status_code == 302
    entry = Entry.objects.get()
    assert (entry.status, entry.contact, entry.province.iso_code) == ("submitted", "+989123456789", "IR-23")
    assert "9123456789" not in entry.author_hash
    link = _follow_link(client)
    # The link works in another browser (it is the key); a made-up one does not.
    other = Client()
    page = other.get(link)
    assert page.status_code == 200 and "در انتظار بررسی" in page.content.decode()
    assert other.get("/ideas/follow/not-a-token/").status_code == 404
    edited = {**IDEA, "title": "نوبت پیامکی با زمان تقریبی"}
    assert other.post(link, edited).status_code == 302
    entry.refresh_from_db()
    assert entry.title == "نوبت پیامکی با زمان تقریبی"
    assert list(EntryVersion.objects.values_list("title", flat=True)) == ["نوبت پیامکی"]
    # After the deadline: refused, the text stays, the attempt is audited.
    challenge.submission_closes = timezone.now() - timedelta(minutes=1)
    challenge.submission_opens = challenge.submission_closes - timedelta(days=30)
    challenge.save()
    late = other.post(link, {**IDEA, "title": "دیر"})
    assert late.status_code == 400
    assert "مهلت فرستادن تمام شده" in late.content.decode() or "دیگر نمی‌توان" in late.content.decode()
    entry.refresh_from_db()
    assert entry.title == "نوبت پیامکی با زمان تقریبی"
    assert AuditEntry.objects.filter(object_id=str(entry.pk), after__refused="late_edit").count() == 1


def test_double_submission_is_refused_and_the_first_kept(org: None) -> None:
    make_challenge()
    client = Client()
    verify(client, "author", "09123456789", "+989123456789")
    assert _send(client, IDEA).status_code == 302
    first = Entry.objects.get()
    # The same words again, with other spellings (Arabic yeh and kaf, no ZWNJ): still the same entry.
    again = {**IDEA, "body": IDEA["body"].replace("ی", "ي").replace("ک", "ك").replace("\u200c", " ")}
    response = _send(client, again)
    assert response.status_code == 409
    assert 'data-testid="double"' in response.content.decode()
    assert Entry.objects.count() == 1
    first.refresh_from_db()
    assert first.body == IDEA["body"]
    assert AuditEntry.objects.filter(object_id=str(first.pk), after__refused="double_submission").count() == 1
    # A different idea from the same person is welcome.
    other = {
        **IDEA,
        "title": "باجهٔ کارهای کوتاه",
        "body": "یک باجه فقط برای کارهایی که کمتر از پنج دقیقه طول می‌کشد.",
    }
    assert _send(client, other).status_code == 302
    assert Entry.objects.count() == 2


def test_wrong_codes_are_counted_and_a_code_works_once(org: None) -> None:
    make_challenge()
    client = Client()
    url = "/ideas/verify/author/"
    client.post(url, {"kind": "phone", "value": "09123456789"})
    for _ in range(5):
        wrong = client.post(url, {"code": "000000"})
        assert wrong.status_code == 400
    assert OneTimeCode.objects.get().attempts == 5
    refused = client.post(url, {"code": "000000"})
    assert "کدهای نادرست زیادی" in refused.content.decode() or refused.status_code == 400
    assert client.get("/ideas/c/queues/send/").status_code == 302


def test_email_is_the_other_channel(org: None) -> None:
    make_challenge()
    client = Client()
    url = "/ideas/verify/author/"
    assert client.post(url, {"kind": "email", "value": " Ali@Example.org "}).status_code == 302
    [message] = mail.outbox
    assert message.to == ["ali@example.org"]
    code = re.search(r"[0-9۰-۹]{6}", message.body)
    assert code is not None
    from tabyin.core.persian_text import digits_to_ascii

    assert client.post(url, {"code": digits_to_ascii(code.group())}).status_code == 302
    assert _send(client, IDEA).status_code == 302
    assert Entry.objects.get().contact == "ali@example.org"


def test_a_closed_challenge_takes_no_entry(org: None) -> None:
    make_challenge(phase="jury")
    client = Client()
    verify(client, "author", "09123456789", "+989123456789")
    response = _send(client, IDEA)
    assert response.status_code == 409
    assert Entry.objects.count() == 0


def test_bad_input_is_kept_in_the_form(org: None) -> None:
    make_challenge()
    client = Client()
    verify(client, "author", "09123456789", "+989123456789")
    response = _send(client, {**IDEA, "body": "کوتاه"})
    assert response.status_code == 400
    assert "کوتاه</textarea>" in response.content.decode()
    assert Entry.objects.filter(status=EntryStatus.SUBMITTED).count() == 0

"""Authors' contacts are sealed in the database: a copy of it gives no phone number back; the site
opens them only to send a notice; another key opens nothing."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tabyin.core.sms import console
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries import notices, sealed
from tabyin.ideas.entries.models import Entry
from tests.ideas.helpers import IDEA, make_challenge, verify

pytestmark = pytest.mark.django_db


def _raw(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM ideas_entry WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def test_a_sent_entry_keeps_its_contact_sealed(org: None) -> None:
    make_challenge()
    client = Client()
    verify(client, "author", "09123456789", "+989123456789")
    assert client.post("/ideas/c/queues/send/", {**IDEA, "seen_similar": "1"}).status_code == 302
    entry = Entry.objects.get()
    raw = _raw(entry.pk)
    assert raw.startswith("s1:") and "9123456789" not in raw and len(raw) == 3 + 4 * ((24 + 13 + 16 + 2) // 3)
    assert entry.contact == "+989123456789"  # plain in Python
    assert Entry.objects.filter(pk=entry.pk).values_list("contact", flat=True).get() == "+989123456789"
    console.clear()
    notices.queue([(entry, "پیام")], step="check")
    notices.send(list(entry.notices.values_list("pk", flat=True)))
    assert [(m.to, m.text) for m in console.OUTBOX] == [
        ("+989123456789", "پیام\nhttp://127.0.0.1:8000/ideas/c/queues/")
    ]


def test_each_seal_differs_and_only_the_key_opens_it() -> None:
    one, two = sealed.seal("a@example.org", secret="k"), sealed.seal("a@example.org", secret="k")
    assert one != two  # a fresh nonce each time: equal contacts do not show as equal
    assert sealed.unseal(one, secret="k") == "a@example.org"
    with pytest.raises(sealed.ContactKeyError):
        sealed.unseal(one, secret="other")
    assert sealed.unseal("+989120000000") == "+989120000000"  # a plain row from before sealing


def test_the_migration_seals_plain_rows(org: None) -> None:
    from django.apps import apps

    migration = import_module("tabyin.ideas.migrations.0007_sealed_contacts")
    make_challenge()
    now = timezone.now()
    entry = Entry.objects.create(
        challenge=Challenge.objects.get(),
        title="قدیمی",
        body="متن",
        author_hash="h",
        contact_kind="phone",
        contact="+989120000007",
        follow_hash="f",
        fingerprint="p",
        created_at=now,
        updated_at=now,
    )
    with connection.cursor() as cursor:  # as a row written before sealing was
        cursor.execute("UPDATE ideas_entry SET contact = %s WHERE id = %s", ["+989120000007", entry.pk])
    assert _raw(entry.pk) == "+989120000007"
    assert Entry.objects.get(pk=entry.pk).contact == "+989120000007"  # still readable
    migration.seal_all(apps, None)
    assert _raw(entry.pk).startswith("s1:")
    assert Entry.objects.get(pk=entry.pk).contact == "+989120000007"

"""Files: judged by their bytes, size-bounded, stored privately and served only with the link or
to staff. Similar ideas: Persian spelling variants are found; moderators see duplicate clusters."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tabyin.core.models import AuditEntry, User
from tabyin.ideas.entries import similarity
from tabyin.ideas.entries.models import Entry, EntryFile
from tests.conftest import verified_client
from tests.ideas.helpers import EXE, IDEA, PNG, make_challenge, verify

pytestmark = pytest.mark.django_db


def _author(org: None) -> Client:
    make_challenge()
    client = Client()
    verify(client, "author", "09123456789", "+989123456789")
    return client


def _post(client: Client, upload: Any) -> Any:
    return client.post("/ideas/c/queues/send/", {**IDEA, "seen_similar": "1", "attachments": [upload]})


def test_a_disguised_file_is_refused_nothing_stored_and_audited(org: None) -> None:
    client = _author(org)
    response = _post(client, SimpleUploadedFile("poster.jpg", EXE, content_type="image/jpeg"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "«poster.jpg»" in page and "از روی محتوایش، نه نامش" in page
    assert IDEA["body"] in page  # the text is kept in the form
    assert (Entry.objects.count(), EntryFile.objects.count()) == (0, 0)
    assert AuditEntry.objects.filter(after__refused="file_refused").count() == 1


def test_an_oversized_file_is_refused(org: None, settings: Any) -> None:
    settings.TABYIN_IDEAS_FILE_MAX_BYTES = 1024 * 1024
    client = _author(org)
    big = PNG + b"\x00" * (1024 * 1024)
    response = _post(client, SimpleUploadedFile("big.png", big, content_type="image/png"))
    assert response.status_code == 400
    assert "«big.png» بزرگ‌تر از" in response.content.decode() or "big.png" in response.content.decode()
    assert EntryFile.objects.count() == 0
    assert AuditEntry.objects.filter(after__refused="file_refused").count() == 1


def test_a_real_file_is_private(org: None, hq_analyst: User, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = _author(org)
    response = _post(
        client, SimpleUploadedFile("\u202egpj.exe", PNG, content_type="application/x-msdownload")
    )
    assert response.status_code == 302
    stored = EntryFile.objects.get()
    assert (stored.label, stored.content_type, stored.size) == ("gpj.exe", "image/png", len(PNG))
    assert stored.file.name.startswith(f"ideas/{stored.entry.challenge_id}/") and stored.file.name.endswith(
        ".png"
    )
    page = client.get("/ideas/c/queues/sent/").content.decode()
    follow = page.split('data-testid="follow-link">http://testserver')[1].split("<")[0]
    got = Client().get(f"{follow}files/{stored.token}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PNG
    assert Client().get(f"/ideas/follow/other-token/files/{stored.token}/").status_code == 404
    # Staff: moderators only; a log-in page for the public.
    assert Client().get(f"/staff/ideas/files/{stored.token}/").status_code == 302
    assert verified_client(hq_analyst).get(f"/staff/ideas/files/{stored.token}/").status_code == 200


def test_persian_spelling_variants_are_near_duplicates() -> None:
    a = "نوبت‌دهی پیامکی با زمان تقریبی برای بیمه‌شدگان"
    b = "نوبت دهي پيامكي با زمان تقريبي براي بيمه شدگان"  # Arabic yeh/kaf, spaces for ZWNJ
    c = "باجهٔ ویژهٔ کارهای پنج‌دقیقه‌ای در شعبه"
    assert similarity.jaccard(similarity.grams(a), similarity.grams(b)) == 1.0
    assert similarity.fingerprint("t", a) == similarity.fingerprint("t", b)
    assert similarity.jaccard(similarity.grams(a), similarity.grams(c)) < similarity.SIMILAR_FROM
    assert similarity.clusters([(1, a), (2, c), (3, b)]) == [[1, 3]]
    assert similarity.most_similar(a, [(7, b), (8, c)]) == [(7, 1.0)]


def test_similar_ideas_are_shown_before_sending(org: None, hq_analyst: User) -> None:
    client = _author(org)
    assert client.post("/ideas/c/queues/send/", {**IDEA, "seen_similar": "1"}).status_code == 302
    other = Client()
    verify(other, "author", "09351112233", "+989351112233")
    near = {**IDEA, "title": "نوبت دهی پیامکی", "body": IDEA["body"] + " لطفاً"}
    shown = other.post("/ideas/c/queues/send/", near)
    assert shown.status_code == 200
    assert 'data-testid="similar"' in shown.content.decode() and "نوبت پیامکی" in shown.content.decode()
    assert Entry.objects.count() == 1  # nothing sent yet
    assert other.post("/ideas/c/queues/send/", {**near, "seen_similar": "1"}).status_code == 302
    queue = verified_client(hq_analyst).get("/staff/ideas/c/queues/").content.decode()
    assert 'data-testid="clusters"' in queue

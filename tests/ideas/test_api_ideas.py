"""/api/v1/ideas/: challenges and screened entries read without a key; proving a contact with a
one-time code (two steps), supporting an entry once per person, sending an idea (similar ideas shown
first, the same words refused twice); refusals as problems (401, 409, 422 in Persian)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from time_machine import travel

from tabyin.core.apiclients import services as client_services
from tabyin.core.notify import public as public_notify
from tabyin.ideas.entries import notices
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.entries.services import Draft, entry_submit
from tabyin.ideas.identity import proofs
from tabyin.ideas.identity import services as identity
from tabyin.ideas.identity.services import Verified
from tabyin.ideas.support.models import Support
from tests.ideas.helpers import IDEA, make_challenge, sent_code, verified

pytestmark = pytest.mark.django_db
PHONE = "09123456789"


@pytest.fixture
def key(org: None) -> str:
    return client_services.client_create(actor=None, name="Mobile app", rate="600/m")[1]


def _post(path: str, body: dict[str, Any], key: str | None, language: str = "en") -> Any:
    headers: dict[str, Any] = {"HTTP_X_API_KEY": key} if key else {}
    return Client().post(
        path, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE=language, **headers
    )


def accepted_entry(phase: str = "support") -> Entry:
    challenge = make_challenge(phase)
    draft = Draft(title="نوبت پیامکی", body=str(IDEA["body"]), category="نوبت‌دهی", province_iso="IR-23")
    # Sent while submissions were open, then screened.
    challenge_open = challenge.submission_opens + timedelta(days=1)
    with travel(challenge_open, tick=False):
        entry, _token = entry_submit(
            challenge=challenge, author=verified("author", "09350000000"), draft=draft
        )
    Entry.objects.filter(pk=entry.pk).update(status=EntryStatus.ACCEPTED)
    return entry


def _proof(key: str, purpose: str, phone: str = PHONE) -> str:
    sent = _post("/api/v1/ideas/codes", {"purpose": purpose, "kind": "phone", "value": phone}, key)
    assert (sent.status_code, sent["Cache-Control"]) == (201, "no-store")
    code_id = json.loads(sent.content)["code_id"]
    e164 = identity.canonical("phone", phone)
    confirm = {
        "purpose": purpose,
        "kind": "phone",
        "value": phone,
        "code_id": code_id,
        "code": sent_code(e164),
    }
    done = _post("/api/v1/ideas/codes/confirm", confirm, key)
    assert done.status_code == 200
    body = json.loads(done.content)
    assert body["expires_in"] == 12 * 3600
    return str(body["proof"])


def test_challenges_and_entries_are_read_without_a_key(org: None) -> None:
    entry = accepted_entry()
    challenge = entry.challenge
    summary = {
        "slug": "queues",
        "title": "صف کمتر در شعبه‌ها",
        "kind": "idea",
        "phase": "support",
        "eligibility": "public",
        "insured_only": False,
        "categories": ["نوبت‌دهی", "اطلاع‌رسانی"],
        "media_kinds": [],
        "submission_opens": challenge.submission_opens.isoformat(),
        "submission_closes": challenge.submission_closes.isoformat(),
        "support_closes": challenge.support_closes.isoformat(),
        "results_at": challenge.results_at.isoformat(),
    }
    assert json.loads(Client().get("/api/v1/ideas/challenges").content) == [summary]
    shown = {
        "id": entry.pk,
        "title": "نوبت پیامکی",
        "body": IDEA["body"],
        "category": "نوبت‌دهی",
        "media_kind": "",
        "link": "",
        "author_name": "",
        "province": "IR-23",
        "status": "accepted",
        "supports": 0,
    }
    one = json.loads(Client().get("/api/v1/ideas/challenges/queues").content)
    assert one == {
        **summary,
        "problem": "صف شعبه‌ها طولانی است.",
        "rules": "ایده باید شدنی باشد.",
        "prizes": "",
        "entries": [shown],
    }
    assert json.loads(Client().get(f"/api/v1/ideas/challenges/queues/entries/{entry.pk}").content) == shown
    entry.status = EntryStatus.SUBMITTED  # not screened: not public (saved: the API's cache hears it)
    entry.save(update_fields=["status"])
    assert Client().get(f"/api/v1/ideas/challenges/queues/entries/{entry.pk}").status_code == 404
    assert Client().get("/api/v1/ideas/challenges/nothing-here").status_code == 404


def test_a_verified_person_supports_an_entry_once(org: None, key: str) -> None:
    entry = accepted_entry()
    url = f"/api/v1/ideas/challenges/queues/entries/{entry.pk}/supports"
    proof = _proof(key, "support")
    assert _post(url, {"proof": proof}, None).status_code == 401
    first = _post(url, {"proof": proof}, key)
    assert (first.status_code, json.loads(first.content)) == (201, {"supports": 1})
    # The same number in another spelling, verified again: still the same person.
    again = _post(url, {"proof": _proof(key, "support", "۰۹۱۲۳۴۵۶۷۸۹")}, key)
    assert (again.status_code, json.loads(again.content)["detail"]) == (
        409,
        "You already support this idea; it is counted once.",
    )
    assert Support.objects.count() == 1
    # A proof for another purpose, or a forged one, proves nothing.
    author = _proof(key, "author", "09120000000")
    for wrong in (author, proof[:-3] + "abc"):
        refused = _post(url, {"proof": wrong}, key)
        assert (refused.status_code, json.loads(refused.content)["errors"][0]["loc"]) == (
            422,
            ["body", "proof"],
        )


def test_a_wrong_code_is_a_422_problem_in_persian(org: None, key: str) -> None:
    sent = json.loads(
        _post("/api/v1/ideas/codes", {"purpose": "support", "kind": "phone", "value": PHONE}, key).content
    )
    confirm = {
        "purpose": "support",
        "kind": "phone",
        "value": PHONE,
        "code_id": sent["code_id"],
        "code": "000000",
    }
    wrong = _post("/api/v1/ideas/codes/confirm", confirm, key, language="fa")
    body = json.loads(wrong.content)
    assert (wrong.status_code, wrong["Content-Language"], body["title"]) == (
        422,
        "fa",
        "برخی از بخش‌های درخواست درست نیست",
    )
    assert body["errors"][0]["loc"] == ["body", "code"]
    bad_number = _post(
        "/api/v1/ideas/codes", {"purpose": "support", "kind": "phone", "value": "123"}, key, language="fa"
    )
    assert (bad_number.status_code, json.loads(bad_number.content)["errors"][0]["loc"]) == (
        422,
        ["body", "value"],
    )


def test_an_idea_is_sent_with_an_author_proof_after_seeing_similar_ones(org: None, key: str) -> None:
    challenge = make_challenge("submission")
    entry_submit(
        challenge=challenge,
        author=verified("author", "09350000000"),
        draft=Draft(title="نوبت پیامکی", body=str(IDEA["body"]), category="نوبت‌دهی"),
    )
    proof = _proof(key, "author")
    idea = {
        "proof": proof,
        "title": "نوبت پیامکی",
        "body": str(IDEA["body"]) + " و یادآوری",
        "category": "نوبت‌دهی",
    }
    url = "/api/v1/ideas/challenges/queues/entries"
    similar = _post(url, idea, key)
    assert (similar.status_code, [s["title"] for s in json.loads(similar.content)["similar"]]) == (
        409,
        ["نوبت پیامکی"],
    )
    sent = _post(url, {**idea, "seen_similar": True}, key)
    assert (sent.status_code, sent["Cache-Control"]) == (201, "no-store")
    body = json.loads(sent.content)
    stored = Entry.objects.get(pk=body["entry"])
    assert (stored.title, stored.contact, stored.status) == ("نوبت پیامکی", "+989123456789", "submitted")
    assert Client().get(f"/ideas/follow/{body['follow_token']}/").status_code == 200
    # The author proved their contact: the entry's mailbox is theirs, to poll in the app.
    assert sorted(body) == ["entry", "follow_token", "inbox_token"]
    assert body["inbox_token"] == public_notify.mailbox_token(app="ideas", ref=f"entry-{stored.pk}")
    notices.queue([(stored, "ورودی شما بررسی شد.")], step="screened")
    notices.send(list(stored.notices.values_list("pk", flat=True)))
    inbox = json.loads(Client().get("/api/v1/inbox/", HTTP_X_INBOX_TOKEN=body["inbox_token"]).content)
    assert [(n["title"], n["body"], n["url"]) for n in inbox["notices"]] == [
        ("خبری دربارهٔ ورودی شما «نوبت پیامکی»", "ورودی شما بررسی شد.", "/ideas/c/queues/")
    ]
    page = Client().get(f"/ideas/follow/{body['follow_token']}/").content.decode()
    section = page[page.index('data-testid="public-notices"') :]
    assert "پیام‌های سامانه به شما" in section
    assert "خبری دربارهٔ ورودی شما «نوبت پیامکی»" in section and "ورودی شما بررسی شد." in section
    assert "data-public-push" not in page  # push is not configured: no button
    twice = _post(url, {**idea, "seen_similar": True}, key)
    assert (twice.status_code, json.loads(twice.content)["detail"]) == (
        409,
        "You already sent these same words to this challenge.",
    )
    bad = _post(url, {**idea, "seen_similar": True, "title": " ", "category": "دیگر"}, key, language="fa")
    assert (bad.status_code, sorted(e["loc"][1] for e in json.loads(bad.content)["errors"])) == (
        422,
        ["category", "title"],
    )


def test_a_proof_expires(org: None) -> None:
    proof = proofs.proof_for("support", Verified(kind="phone", contact="+989123456789", identity_hash="h"))
    assert proofs.verified_by(proof, "support") == Verified(kind="phone", contact="", identity_hash="h")
    with travel(timezone.now() + proofs.LIFETIME + timedelta(minutes=1)):
        assert proofs.verified_by(proof, "support") is None

"""Pairwise comparison where a challenge opts in: the juror sees two entries (never one they have a
conflict with), picks one, the next pair follows; each pair once per juror; the Bradley-Terry
strengths on the organizer's page match the closed form."""

from __future__ import annotations

import math

import pytest
from django.test import Client
from django.utils import translation

from tabyin.core.models import AuditEntry, User
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.judging import pairwise
from tabyin.ideas.judging.models import Comparison
from tests.conftest import verified_client
from tests.ideas.test_jury_workflow import _setup

pytestmark = pytest.mark.django_db


def _pick(client: Client, slug: str, winner: int, loser: int) -> object:
    with translation.override("fa"):
        return client.post(f"/staff/ideas/jury/c/{slug}/compare/", {"winner": winner, "loser": loser})


def _last(response: object) -> str:
    return [str(m) for m in response.wsgi_request._messages][-1]  # type: ignore[attr-defined]


def test_a_juror_compares_every_pair_open_to_them_once(org: None, hq_analyst: User) -> None:
    challenge, seats = _setup(hq_analyst)
    tehran = next(s for s in seats if s.user.username == "j.tehran")
    client = verified_client(tehran.user)
    url = f"/staff/ideas/jury/c/{challenge.slug}/compare/"
    assert client.get(url).status_code == 403  # the challenge has not opted in
    challenge.pairwise = True
    challenge.save()
    ids = list(Entry.objects.order_by("pk").values_list("pk", flat=True))
    own = Entry.objects.get(province__iso_code="IR-23").pk  # the Tehran juror's own province
    open_to_them = [e for e in ids if e != own]
    page = client.get(url)
    first, second = page.context["pair"]
    assert (first.pk, second.pk) == (open_to_them[0], open_to_them[1])
    assert _pick(client, challenge.slug, second.pk, first.pk).status_code == 302  # type: ignore[attr-defined]
    row = Comparison.objects.get()
    assert (row.winner_id, row.loser_id, row.pair) == (second.pk, first.pk, f"{first.pk}-{second.pk}")
    assert AuditEntry.objects.filter(object_id=str(row.pk), action="create").exists()
    again = _pick(client, challenge.slug, first.pk, second.pk)
    assert again.status_code == 400  # type: ignore[attr-defined]
    assert _last(again) == "این دو ورودی را پیش‌تر مقایسه کرده‌اید."
    conflict = _pick(client, challenge.slug, own, first.pk)
    assert _last(conflict) == "این دو ورودی را شما نمی‌توانید مقایسه کنید."
    broken = _pick(client, challenge.slug, "یک", first.pk)  # type: ignore[arg-type]
    assert _last(broken) == "یکی از دو ورودی را انتخاب کنید."
    assert Comparison.objects.count() == 1
    shown = []
    while (pair := client.get(url).context["pair"]) is not None:
        shown.append({pair[0].pk, pair[1].pk})
        _pick(client, challenge.slug, pair[0].pk, pair[1].pk)
    assert len(shown) == 9 and own not in set().union(*shown)  # 5 entries: 10 pairs, 1 done before
    assert Comparison.objects.filter(seat=tehran).count() == 10
    with translation.override("fa"):
        done = client.get(url).content.decode()
    assert 'data-testid="no-pair"' in done and "جفت‌هایی که مقایسه کردید: ۱۰" in done


def test_bradley_terry_strengths_match_the_closed_form(org: None, hq_analyst: User) -> None:
    challenge, seats = _setup(hq_analyst)
    challenge.pairwise = True
    challenge.save()
    a, b = Entry.objects.filter(province__iso_code__in=["IR-10", "IR-09"]).order_by("pk")
    # Three jurors prefer a to b, one b to a: θa − θb = ln 3, centred on zero.
    jurors = [s for s in seats if s.user.username != "j.tehran"][:4]
    for n, seat in enumerate(jurors):
        winner, loser = (a, b) if n < 3 else (b, a)
        pairwise.comparison_record(
            juror=seat.user, challenge=challenge, winner_id=winner.pk, loser_id=loser.pk
        )
    strengths = pairwise.strengths(challenge)
    assert [(s.position, s.entry_id, s.wins, s.comparisons) for s in strengths] == [
        (1, a.pk, 3, 4),
        (2, b.pk, 1, 4),
    ]
    assert strengths[0].theta == pytest.approx(math.log(3) / 2, abs=1e-9)
    assert strengths[1].theta == pytest.approx(-math.log(3) / 2, abs=1e-9)
    with translation.override("fa"):
        page = verified_client(hq_analyst).get(f"/staff/ideas/c/{challenge.slug}/jury/").content.decode()
    assert 'data-testid="bradley-terry"' in page and "۰٫۵۵" in page

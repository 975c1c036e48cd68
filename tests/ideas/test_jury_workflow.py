"""The jury stage on top of the jury package: assignment without conflicts, scores hidden until a
juror sends their own, a declared conflict, and the published results recomputed independently."""

from __future__ import annotations

import statistics
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, OrgUnit, User
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.judging import selectors, services
from tabyin.ideas.judging.models import Assignment, JurorSeat
from tests import factories
from tests.conftest import verified_client
from tests.ideas.helpers import make_challenge

pytestmark = pytest.mark.django_db
PROVINCES = ["IR-23", "IR-10", "IR-09", "IR-14", "IR-06", "IR-03"]
JURORS = [
    ("j.gilan", "ir-01"),
    ("j.fars", "ir-07"),
    ("j.alborz", "ir-30"),
    ("j.kerman", "ir-05"),
    ("j.tehran", "ir-23"),
]


def _setup(hq_analyst: User, phase: str = "jury") -> tuple[Challenge, list[JurorSeat]]:
    challenge = make_challenge(phase=phase)
    now = timezone.now()
    for n, iso in enumerate(PROVINCES):
        Entry.objects.create(
            challenge=challenge,
            title=f"ایده {n}",
            body="متن ایده برای داوری " * 3,
            province=OrgUnit.objects.get(iso_code=iso, kind="province"),
            author_hash=f"a{n}",
            contact_kind="phone",
            contact="+989120000000",
            follow_hash=f"f{n}",
            fingerprint=f"p{n}",
            status=EntryStatus.ACCEPTED,
            created_at=now - timedelta(days=40 - n),
            updated_at=now,
        )
    seats = []
    for username, unit in JURORS:
        user = factories.persona(username, unit, Role.JUROR)
        province = OrgUnit.objects.get(code=unit)
        seats.append(
            services.seat_add(
                actor=hq_analyst, challenge=challenge, user=user, province=province, unit=province
            )
        )
    return challenge, seats


def test_assignment_is_balanced_and_avoids_the_jurors_province(org: None, hq_analyst: User) -> None:
    challenge, seats = _setup(hq_analyst)
    assert services.assign(actor=hq_analyst, challenge=challenge) == 18
    loads = sorted(Assignment.objects.filter(seat__in=seats).values_list("seat_id", flat=True))
    assert sorted(loads.count(s.pk) for s in seats) == [3, 3, 4, 4, 4]
    tehran = next(s for s in seats if s.user.username == "j.tehran")
    assert not Assignment.objects.filter(seat=tehran, entry__province__iso_code="IR-23").exists()
    assert set(Entry.objects.values_list("status", flat=True)) == {EntryStatus.SHORTLISTED}
    assert all(Assignment.objects.filter(entry=e).count() == 3 for e in Entry.objects.all())


def test_assignment_impossible_is_refused_clearly(org: None, hq_analyst: User) -> None:
    challenge, seats = _setup(hq_analyst)
    JurorSeat.objects.filter(pk__in=[s.pk for s in seats[2:]]).delete()
    with pytest.raises(ValidationError, match="کمتر از ۳ داور"):
        services.assign(actor=hq_analyst, challenge=challenge)
    assert Assignment.objects.count() == 0


def _values(a: Assignment, base: int) -> dict[str, str]:
    return {"impact": str(min(10, base + a.entry.pk % 4)), "cost": "۷"}


def test_a_juror_cannot_read_others_before_sending(org: None, hq_analyst: User) -> None:
    challenge, _seats = _setup(hq_analyst)
    services.assign(actor=hq_analyst, challenge=challenge)
    entry = Assignment.objects.order_by("entry_id").first().entry  # type: ignore[union-attr]
    first, second = list(Assignment.objects.filter(entry=entry).select_related("seat__user")[:2])
    services.scores_submit(juror=first.seat.user, assignment=first, values=_values(first, 5))
    client = verified_client(second.seat.user)
    assert client.get(f"/staff/ideas/jury/{second.pk}/others/").status_code == 403
    page = client.get(f"/staff/ideas/jury/{second.pk}/").content.decode()
    assert 'data-testid="others"' not in page and 'data-testid="score-form"' in page
    peek = AuditEntry.objects.get(after__refused="early_peek")
    assert (peek.actor, peek.object_id) == (second.seat.user, str(entry.pk))
    with pytest.raises(PermissionDenied):
        selectors.other_scores(user=second.seat.user, entry=entry)
    # Out-of-range score: refused, nothing stored, the assignment still open.
    bad = client.post(f"/staff/ideas/jury/{second.pk}/", {"impact": "11", "cost": "5"})
    assert bad.status_code == 400
    second.refresh_from_db()
    assert second.submitted_at is None and second.scores.count() == 0
    assert client.post(f"/staff/ideas/jury/{second.pk}/", {"impact": "۸٫۵", "cost": "5"}).status_code == 302
    after = client.get(f"/staff/ideas/jury/{second.pk}/others/")
    assert after.status_code == 200 and "داور ۱" in after.content.decode()
    with pytest.raises(ValidationError, match="قطعی"):
        services.scores_submit(juror=second.seat.user, assignment=second, values={"impact": "1", "cost": "1"})


def test_a_declared_conflict_takes_the_entry_away(org: None, hq_analyst: User) -> None:
    challenge, _seats = _setup(hq_analyst)
    services.assign(actor=hq_analyst, challenge=challenge)
    a = Assignment.objects.select_related("seat__user").order_by("pk").first()
    assert a is not None
    client = verified_client(a.seat.user)
    assert (
        client.post(f"/staff/ideas/jury/{a.pk}/conflict/", {"note": "نویسنده را می‌شناسم"}).status_code == 302
    )
    assert not Assignment.objects.filter(pk=a.pk).exists()
    services.assign(actor=hq_analyst, challenge=challenge)
    assert not Assignment.objects.filter(seat=a.seat, entry=a.entry).exists()
    assert Assignment.objects.filter(entry=a.entry).count() == 3


def _recompute(body: dict) -> list[str]:  # type: ignore[type-arg]
    """An independent re-implementation from the published file, in plain Python."""
    inputs = body["inputs"]
    crit = {c["key"]: c for c in inputs["criteria"]}
    wsum = sum(c["weight"] for c in crit.values())
    cells: dict[tuple[str, str], float] = {}
    for s in inputs["scores"]:
        c = crit[s["criterion"]]
        cells[(s["juror"], s["entry"])] = (
            cells.get((s["juror"], s["entry"]), 0.0) + c["weight"] * s["value"] / c["max_value"]
        )
    totals = {k: 100 * v / wsum for k, v in cells.items()}
    allv = list(totals.values())
    pm, ps = statistics.fmean(allv), statistics.pstdev(allv)
    by_juror: dict[str, list[float]] = {}
    for (j, _e), v in totals.items():
        by_juror.setdefault(j, []).append(v)
    per_entry: dict[str, list[float]] = {}
    raw: dict[str, list[float]] = {}
    for (j, e), v in totals.items():
        m, sd = statistics.fmean(by_juror[j]), statistics.pstdev(by_juror[j])
        per_entry.setdefault(e, []).append(pm + ps * ((v - m) / sd if sd > 0 else 0.0))
        raw.setdefault(e, []).append(v)
    sent = {e["id"]: e["submitted_at"] for e in inputs["entries"]}
    score = {e: round(statistics.fmean(v), 4) for e, v in per_entry.items()}
    return sorted(
        score, key=lambda e: (-score[e], -round(statistics.median(raw[e]), 4), -len(raw[e]), sent[e], e)
    )


def test_published_results_recompute_independently(org: None, hq_analyst: User) -> None:
    challenge, _seats = _setup(hq_analyst)
    services.assign(actor=hq_analyst, challenge=challenge)
    severity = {}
    for a in Assignment.objects.select_related("seat__user", "entry").order_by("pk"):
        severity.setdefault(a.seat_id, len(severity) - 2)  # jurors from harsh (-2) to lenient (+2)
        services.scores_submit(juror=a.seat.user, assignment=a, values=_values(a, 5 + severity[a.seat_id]))
    assert Client().get("/ideas/c/queues/results.json").status_code == 404  # not before the results phase
    Challenge.objects.filter(pk=challenge.pk).update(
        submission_opens=challenge.submission_opens - timedelta(days=60),
        submission_closes=challenge.submission_closes - timedelta(days=60),
        moderation_closes=challenge.moderation_closes - timedelta(days=60),
        support_closes=challenge.support_closes - timedelta(days=60),
        jury_closes=challenge.jury_closes - timedelta(days=60),
        results_at=challenge.results_at - timedelta(days=60),
    )
    body = Client().get("/ideas/c/queues/results.json").json()
    assert len(body["inputs"]["scores"]) == 36 and len(body["inputs"]["entries"]) == 6
    assert all(s["juror"].startswith("J-") for s in body["inputs"]["scores"])  # pseudonyms, no names
    assert [r["entry"] for r in body["ranking"]] == _recompute(body)
    assert body["agreement"]["form"] == "ICC(1)" and body["agreement"]["n_entries"] == 6
    page = Client().get("/ideas/c/queues/results/").content.decode()
    assert 'data-testid="ranking"' in page and 'data-testid="icc"' in page

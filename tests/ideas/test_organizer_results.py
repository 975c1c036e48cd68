"""The organizer's results pages: winners confirmed from the computed ranking (a deviation needs a
reason, shown publicly), and the tracker of an implemented idea edited step by step, the author
told each time."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from tabyin.core.models import AuditEntry, User
from tabyin.core.sms import console
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.judging import selectors as jury_selectors
from tabyin.ideas.judging import services as jury_services
from tabyin.ideas.judging.models import Assignment
from tabyin.ideas.results import services
from tabyin.ideas.results.enums import TrackStatus
from tabyin.ideas.results.models import Announcement, Implementation
from tests import factories
from tests.conftest import verified_client
from tests.ideas.helpers import EXE, PNG, committed
from tests.ideas.test_jury_workflow import _setup, _values

pytestmark = pytest.mark.django_db
REASON = "نفر دوم طرحی مشابه را پیش‌تر در استان خودش اجرا کرده است."


def _judged(hq_analyst: User, phase: str = "implementation") -> tuple[Challenge, list[int]]:
    challenge, _seats = _setup(hq_analyst, phase=phase)
    jury_services.assign(actor=hq_analyst, challenge=challenge)
    for a in Assignment.objects.select_related("seat__user", "entry").order_by("pk"):
        jury_services.scores_submit(juror=a.seat.user, assignment=a, values=_values(a, 5))
    ranked = [int(r.entry_id) for r in jury_selectors.jury_results(challenge).ranked]
    return challenge, ranked


def _post(client: Client, url: str, data: dict[str, object]) -> object:
    with translation.override("fa"), committed():
        return client.post(url, data)


def test_the_top_of_the_ranking_wins_without_a_reason(org: None, hq_analyst: User) -> None:
    challenge, ranked = _judged(hq_analyst)
    client = verified_client(hq_analyst)
    url = f"/staff/ideas/c/{challenge.slug}/winners/"
    page = client.get(url)
    assert [v for v, _label in page.context["form"].fields["winners"].choices] == ranked
    response = _post(client, url, {"winners": [ranked[1], ranked[0]], "message": "برگزیدگان اعلام شدند."})
    assert response.status_code == 302  # type: ignore[attr-defined]
    row = Announcement.objects.get(challenge=challenge)
    assert row.ranks == [{"entry": ranked[0], "rank": 1}, {"entry": ranked[1], "rank": 2}]
    # Committed: the draft went to the outbox and waits for a senior manager's approval.
    assert (row.deviation_reason, row.channel_state, row.message) == ("", "approval", "برگزیدگان اعلام شدند.")
    assert set(Entry.objects.filter(status=EntryStatus.WINNER).values_list("pk", flat=True)) == set(
        ranked[:2]
    )
    told = {m.to for m in console.OUTBOX if "برگزیدگان" in m.text}
    assert len(told) == 1  # every test entry has the same contact; one SMS per key and entry
    public = Client().get(f"/ideas/c/{challenge.slug}/results/").content.decode()
    assert 'data-testid="winners"' in public and 'data-testid="deviation"' not in public
    assert "رتبهٔ ۱ در رتبه‌بندی داوران" in public
    with translation.override("fa"), pytest.raises(ValidationError) as again:
        services.winners_confirm(actor=hq_analyst, challenge=challenge, entry_ids=[ranked[2]], message="x")
    assert again.value.messages == ["برگزیدگان این چالش پیش‌تر اعلام شده‌اند."]


def test_a_deviation_needs_a_public_reason(org: None, hq_analyst: User) -> None:
    challenge, ranked = _judged(hq_analyst)
    client = verified_client(hq_analyst)
    url = f"/staff/ideas/c/{challenge.slug}/winners/"
    cases = [
        (
            {"winners": [ranked[0], ranked[2]], "message": "اعلام", "reason": "کوتاه"},
            "reason",
            (
                "این‌ها ۲ ورودی نخست رتبه‌بندی نیستند: دلیلش را دست‌کم در ۲۰ نویسه بنویسید؛ "
                "دلیل همراه نتایج منتشر می‌شود."
            ),
        ),
        ({"winners": [], "message": "اعلام"}, "winners", "دست‌کم یک برگزیده انتخاب کنید."),
        ({"winners": [ranked[0]], "message": ""}, "message", "پر کردن این بخش لازم است."),
        (
            {"winners": [999999], "message": "اعلام"},
            "winners",
            "یک گزینهٔ معتبر انتخاب کنید. 999999 از گزینه‌های موجود نیست.",
        ),
    ]
    for data, field, message in cases:
        bad = _post(client, url, data)
        assert bad.status_code == 400, data  # type: ignore[attr-defined]
        assert bad.context["form"].errors[field] == [message], data  # type: ignore[attr-defined]
    assert not Announcement.objects.exists()
    assert not Entry.objects.filter(status=EntryStatus.WINNER).exists()
    ok = _post(client, url, {"winners": [ranked[0], ranked[2]], "message": "اعلام", "reason": REASON})
    assert ok.status_code == 302  # type: ignore[attr-defined]
    row = Announcement.objects.get()
    assert (row.ranks, row.deviation_reason) == (
        [{"entry": ranked[0], "rank": 1}, {"entry": ranked[2], "rank": 3}],
        REASON,
    )
    audit = AuditEntry.objects.get(object_id=str(row.pk), action="create", after__deviation=True)
    assert audit.after["ranks"] == [1, 3]
    public = Client().get(f"/ideas/c/{challenge.slug}/results/").content.decode()
    assert REASON in public and 'data-testid="deviation"' in public
    published = Client().get(f"/ideas/c/{challenge.slug}/results.json").json()["winners"]
    assert published["entries"] == [
        {"entry": str(ranked[0]), "rank": 1},
        {"entry": str(ranked[2]), "rank": 3},
    ]
    assert published["deviation_reason"] == REASON


def test_winners_wait_for_the_jury(org: None, hq_analyst: User) -> None:
    challenge, ranked = _judged(hq_analyst, phase="jury")
    with translation.override("fa"), pytest.raises(ValidationError) as early:
        services.winners_confirm(actor=hq_analyst, challenge=challenge, entry_ids=ranked[:1], message="x")
    assert early.value.messages == ["داوری هنوز ادامه دارد؛ برگزیدگان پس از پایان داوری اعلام می‌شوند."]


def test_a_tracker_is_started_edited_and_closed(org: None, hq_analyst: User, settings: object) -> None:
    challenge, ranked = _judged(hq_analyst)
    services.winners_confirm(actor=hq_analyst, challenge=challenge, entry_ids=ranked[:1], message="اعلام")
    entry_id = ranked[0]
    client = verified_client(hq_analyst)
    url = f"/staff/ideas/entries/{entry_id}/tracker/"
    hq = factories.unit("hq")
    start = {
        "owner_unit": hq.pk,
        "summary": "نوبت پیامکی در همهٔ شعبه‌ها",
        "started": "۱۴۰۵/۰۹/۱۶",
        "first_milestone": "آزمایش در سه شعبه",
        "first_due": "1405/10/16",
    }
    bad = _post(client, url, {**start, "first_due": "فردا"})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert bad.context["start"].errors["first_due"] == ["تاریخ شمسی را مانند ۱۴۰۵/۱۰/۰۱ بنویسید."]  # type: ignore[attr-defined]
    assert not Implementation.objects.exists()
    assert _post(client, url, start).status_code == 302  # type: ignore[attr-defined]
    track = Implementation.objects.get(entry_id=entry_id)
    first = track.milestones.get()
    assert (track.status, track.started_at, first.due) == (
        TrackStatus.IN_PROGRESS,
        date(2026, 12, 7),
        date(2027, 1, 6),
    )
    # Status and unit.
    edit = {"owner_unit": hq.pk, "status": "done", "summary": track.summary}
    refused = _post(client, url, edit)
    assert refused.context["form"].errors["status"] == [  # type: ignore[attr-defined]
        "نخست همهٔ گام‌ها را انجام‌شده بزنید؛ آخرین گام پیگیری را می‌بندد."
    ]
    assert _post(client, url, {**edit, "status": "stalled"}).status_code == 302  # type: ignore[attr-defined]
    # A milestone added; one without a date refused.
    add = f"{url}milestones/"
    no_date = _post(client, add, {"title": "اجرا در همهٔ استان‌ها", "due": ""})
    assert no_date.context["milestone_form"].errors["due"] == ["موعد آن را بنویسید."]  # type: ignore[attr-defined]
    assert _post(client, add, {"title": "اجرا در همهٔ استان‌ها", "due": "1406/01/20"}).status_code == 302  # type: ignore[attr-defined]
    second = track.milestones.get(order=2)
    # Done needs evidence; a disguised file is refused; a real PNG is kept and served publicly.
    done = f"{url}milestones/{first.pk}/done/"
    p = f"m{first.pk}-"
    nothing = _post(client, done, {f"{p}done_on": "1405/10/10", f"{p}evidence": ""})
    assert nothing.context["milestones"][0][1].errors["evidence"] == [  # type: ignore[attr-defined]
        "بگویید چه چیزی نشان می‌دهد انجام شده است (نشانی یا سند)."
    ]
    exe = SimpleUploadedFile("report.png", EXE, content_type="image/png")
    disguised = _post(client, done, {f"{p}done_on": "1405/10/10", f"{p}evidence_file": exe})
    assert disguised.status_code == 400  # type: ignore[attr-defined]
    assert "report.png" in disguised.context["milestones"][0][1].errors["evidence_file"][0]  # type: ignore[attr-defined]
    png = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    assert _post(client, done, {f"{p}done_on": "1405/10/10", f"{p}evidence_file": png}).status_code == 302  # type: ignore[attr-defined]
    first.refresh_from_db()
    assert (first.done_on, first.evidence_type) == (date(2026, 12, 31), "image/png")
    served = Client().get(f"/ideas/implemented/{entry_id}/evidence/{first.pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == PNG  # type: ignore[attr-defined]
    assert Client().get(f"/ideas/implemented/{entry_id}/evidence/{second.pk}/").status_code == 404
    # The last milestone closes the tracker; undoing it opens it again.
    last = f"{url}milestones/{second.pk}/done/"
    q = f"m{second.pk}-"
    _post(client, last, {f"{q}done_on": "1406/01/20", f"{q}evidence": "https://example.org/news/12"})
    track.refresh_from_db()
    assert (track.status, track.finished_at) == (TrackStatus.DONE, date(2027, 4, 9))
    assert Entry.objects.get(pk=entry_id).status == EntryStatus.IMPLEMENTED
    _post(client, f"{url}milestones/{second.pk}/reopen/", {})
    track.refresh_from_db()
    assert (track.status, track.finished_at) == (TrackStatus.IN_PROGRESS, None)
    assert Entry.objects.get(pk=entry_id).status == EntryStatus.IMPLEMENTING
    # The author heard of each step: start, status, new milestone, two done, one reopened (the
    # winners were confirmed outside ``committed()``: their notices were never sent here).
    texts = [m.text for m in console.OUTBOX]
    assert sum("ایدهٔ شما" in t or "ورودی شما" in t for t in texts) == 6
    public = Client().get(f"/ideas/implemented/{entry_id}/").content.decode()
    assert "پروندهٔ شاهد" in public and "اجرا در همهٔ استان‌ها" in public


def test_a_juror_cannot_announce_or_edit_trackers(org: None, hq_analyst: User) -> None:
    challenge, ranked = _judged(hq_analyst)
    juror = Assignment.objects.select_related("seat__user").first().seat.user  # type: ignore[union-attr]
    client = verified_client(juror)
    assert client.get(f"/staff/ideas/c/{challenge.slug}/winners/").status_code == 403
    assert (
        client.post(f"/staff/ideas/c/{challenge.slug}/winners/", {"winners": ranked[:1]}).status_code == 403
    )
    assert client.get(f"/staff/ideas/entries/{ranked[0]}/tracker/").status_code == 403
    assert not Announcement.objects.exists()

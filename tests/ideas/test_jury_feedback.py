"""A juror's feedback to the author: written per review, refused when it would break the blind review,
released by the organizer, read by the author on their follow-up page (never with the juror's name
or number), and told by SMS. Every write is audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, OrgUnit, User
from tabyin.core.sms import console
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.entries.enums import EntryStatus
from tabyin.ideas.entries.models import Entry, EntryFile
from tabyin.ideas.entries.tokens import follow_hash
from tabyin.ideas.judging import feedback, services
from tabyin.ideas.judging.models import Assignment, Feedback
from tests import factories
from tests.conftest import verified_client
from tests.ideas.helpers import PNG, committed, make_challenge

pytestmark = pytest.mark.django_db
GOOD = "ایدهٔ روشنی است؛ هزینهٔ اجرای آن را هم برآورد کنید تا شدنی‌تر شود."
SECOND = "بخش دوم متن را کوتاه‌تر کنید و نمونه‌ای از یک شعبه بیاورید."
TOKEN = "follow-token-for-the-feedback-test"


def _setup(hq_analyst: User) -> tuple[Entry, list[Assignment]]:
    challenge = make_challenge(phase="jury", blind_review=True)
    now = timezone.now()
    entry = Entry.objects.create(
        challenge=challenge,
        title="نوبت پیامکی",
        body="متن ایده برای داوری " * 3,
        province=OrgUnit.objects.get(iso_code="IR-23", kind="province"),
        author_hash="a1",
        contact_kind="phone",
        contact="+989121110000",
        follow_hash=follow_hash(TOKEN),
        fingerprint="p1",
        status=EntryStatus.ACCEPTED,
        created_at=now - timedelta(days=40),
        updated_at=now,
    )
    for username, unit in [("j.gilan", "ir-01"), ("j.fars", "ir-07"), ("j.alborz", "ir-30")]:
        user = factories.persona(username, unit, Role.JUROR)
        user.display_name = {"j.gilan": "مریم احمدی", "j.fars": "رضا کریمی", "j.alborz": "سارا نوری"}[
            username
        ]
        user.save()
        place = OrgUnit.objects.get(code=unit)
        services.seat_add(actor=hq_analyst, challenge=challenge, user=user, province=place, unit=place)
    assert services.assign(actor=hq_analyst, challenge=challenge) == 3
    return entry, list(Assignment.objects.filter(entry=entry).select_related("seat__user").order_by("pk"))


def test_the_juror_writes_the_organizer_releases_the_author_reads(org: None, hq_analyst: User) -> None:
    entry, (first, second, third) = _setup(hq_analyst)
    juror = verified_client(first.seat.user)
    page = juror.get(f"/staff/ideas/jury/{first.pk}/").content.decode()
    assert 'data-testid="feedback-form"' in page
    assert juror.post(f"/staff/ideas/jury/{first.pk}/feedback/", {"text": GOOD}).status_code == 302
    # Rewritable until released; the same text again writes nothing.
    assert juror.post(f"/staff/ideas/jury/{first.pk}/feedback/", {"text": GOOD + " "}).status_code == 302
    feedback.feedback_write(juror=second.seat.user, assignment=second, text=SECOND)
    audits = AuditEntry.objects.filter(object_type="ideas.feedback").order_by("pk")
    assert [(a.action, a.after) for a in audits] == [
        ("create", {"chars": len(GOOD)}),
        ("create", {"chars": len(SECOND)}),
    ]
    # Nothing reaches the author before the organizer releases it.
    assert "jury-feedback" not in Client().get(f"/ideas/follow/{TOKEN}/").content.decode()

    organizer = verified_client(hq_analyst)
    jury_page = organizer.get("/staff/ideas/c/queues/jury/").content.decode()
    assert f'data-testid="feedback-{entry.pk}"' in jury_page and "دادن ۲ بازخورد به نویسنده" in jury_page
    with committed():
        done = organizer.post(f"/staff/ideas/c/queues/jury/feedback/{entry.pk}/release/")
    assert done.status_code == 302 and done["Location"] == "/staff/ideas/c/queues/jury/#feedback"
    entry.refresh_from_db()
    assert [f["text"] for f in entry.jury_feedback] == [GOOD, SECOND]
    assert Feedback.objects.filter(released_at__isnull=False, released_by=hq_analyst).count() == 2
    released = AuditEntry.objects.get(object_type="ideas.entry", after__feedback_released=2)
    assert (released.actor, released.object_id) == (hq_analyst, str(entry.pk))
    told = console.last_to("+989121110000")
    assert told is not None and "بازخورد داوران دربارهٔ «نوبت پیامکی» آماده است" in told.text

    author = Client().get(f"/ideas/follow/{TOKEN}/").content.decode()
    assert 'data-testid="jury-feedback"' in author and GOOD in author and SECOND in author
    # Blind review: neither the jurors' names, usernames nor their seat numbers reach the author.
    for seat in (first.seat, second.seat, third.seat):
        assert seat.user.display_name not in author and seat.user.username not in author
    assert "داور ۱" not in author and "داور ۲" not in author

    # Released feedback is final; a second release finds nothing waiting.
    with pytest.raises(ValidationError) as final:
        feedback.feedback_write(juror=first.seat.user, assignment=first, text=SECOND)
    assert final.value.messages == ["بازخوردتان به نویسنده داده شده است و دیگر تغییر نمی‌کند."]
    again = organizer.post(f"/staff/ideas/c/queues/jury/feedback/{entry.pk}/release/", follow=True)
    assert "بازخوردی از داوران برای این اثر در انتظار انتشار نیست." in again.content.decode()
    # A later feedback is released on its own and added after the first two.
    feedback.feedback_write(juror=third.seat.user, assignment=third, text=GOOD + " سوم")
    assert feedback.feedback_release(actor=hq_analyst, entry=entry) == 1
    entry.refresh_from_db()
    assert [f["text"] for f in entry.jury_feedback] == [GOOD, SECOND, GOOD + " سوم"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "بازخوردتان به نویسنده را بنویسید."),
        ("خوب بود.", "دست‌کم ۲۰ نویسه بنویسید تا نویسنده چیزی از آن بیاموزد."),
        ("ا" * 2001, "حداکثر ۲۰۰۰ نویسه بنویسید."),
        (GOOD + " \u202eتست", "متن نویسه‌های کنترلی پنهان دارد؛ آن را دوباره تایپ کنید."),
        (GOOD + " با من تماس بگیرید: ۰۹۱۲ ۱۲۳ ۴۵۶۷", "نشانی، پیوند و شمارهٔ تلفن ننویسید: داوری ناشناس است."),
        (GOOD + " maryam@example.org", "نشانی، پیوند و شمارهٔ تلفن ننویسید: داوری ناشناس است."),
        (GOOD + " https://example.org/x", "نشانی، پیوند و شمارهٔ تلفن ننویسید: داوری ناشناس است."),
        (GOOD + " مريم احمدي", "نامتان را ننویسید: نویسنده نباید بداند چه کسی داوری کرده است."),
        (GOOD + " — مریم‌احمدی", "نامتان را ننویسید: نویسنده نباید بداند چه کسی داوری کرده است."),
    ],
)
def test_bad_feedback_is_refused_in_persian_and_nothing_is_stored(
    org: None, hq_analyst: User, text: str, message: str
) -> None:
    _entry, (first, _second, _third) = _setup(hq_analyst)
    client = verified_client(first.seat.user)
    answer = client.post(f"/staff/ideas/jury/{first.pk}/feedback/", {"text": text})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert message in page
    assert (
        Feedback.objects.count() == 0 and not AuditEntry.objects.filter(object_type="ideas.feedback").exists()
    )


def test_only_the_assigned_juror_writes_and_only_an_organizer_releases(org: None, hq_analyst: User) -> None:
    entry, (first, second, _third) = _setup(hq_analyst)
    with pytest.raises(PermissionDenied):
        feedback.feedback_write(juror=second.seat.user, assignment=first, text=GOOD)
    assert (
        verified_client(second.seat.user)
        .post(f"/staff/ideas/jury/{first.pk}/feedback/", {"text": GOOD})
        .status_code
        == 404
    )
    feedback.feedback_write(juror=first.seat.user, assignment=first, text=GOOD)
    assert (
        verified_client(first.seat.user)
        .post(f"/staff/ideas/c/queues/jury/feedback/{entry.pk}/release/")
        .status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        feedback.feedback_release(actor=first.seat.user, entry=entry)
    entry.refresh_from_db()
    assert entry.jury_feedback == [] and Feedback.objects.get().released_at is None


def test_a_blind_review_hides_the_authors_file_names(
    org: None, hq_analyst: User, settings: Any, tmp_path: Any
) -> None:
    """A file name can name its author («مریم-احمدی-پوستر.png»): in a blind review the juror sees
    and downloads it under a neutral name."""
    settings.MEDIA_ROOT = tmp_path
    entry, (first, _second, _third) = _setup(hq_analyst)
    item = EntryFile(
        entry=entry,
        token="a1b2c3d4e5f60718293a4b5c6d7e8f90",
        label="مریم-احمدی-پوستر.png",
        content_type="image/png",
        size=len(PNG),
        added_at=timezone.now(),
    )
    item.file.save(f"{item.token}.png", ContentFile(PNG), save=False)
    item.save()
    client = verified_client(first.seat.user)
    page = client.get(f"/staff/ideas/jury/{first.pk}/").content.decode()
    assert "مریم-احمدی" not in page and "پروندهٔ ۱ (" in page
    got = client.get(f"/staff/ideas/jury/{first.pk}/files/{item.token}/")
    assert got["Content-Disposition"] == f'attachment; filename="entry-{entry.pk}-a1b2c3.png"'
    assert b"".join(got.streaming_content) == PNG  # type: ignore[attr-defined]
    # Without a blind review the author's own name for the file is kept.
    Challenge.objects.filter(pk=entry.challenge_id).update(blind_review=False)
    named = client.get(f"/staff/ideas/jury/{first.pk}/files/{item.token}/")
    assert "filename*=utf-8''" in named["Content-Disposition"]


def test_a_review_with_feedback_is_not_moved_to_another_juror(org: None, hq_analyst: User) -> None:
    entry, (first, _second, _third) = _setup(hq_analyst)
    other = factories.persona("j.kerman", "ir-05", Role.JUROR)
    place = OrgUnit.objects.get(code="ir-05")
    seat = services.seat_add(
        actor=hq_analyst, challenge=entry.challenge, user=other, province=place, unit=place
    )
    feedback.feedback_write(juror=first.seat.user, assignment=first, text=GOOD)
    with pytest.raises(ValidationError) as refused:
        services.reassign(actor=hq_analyst, assignment=first, seat=seat)
    assert refused.value.message_dict == {
        "entry": ["این داور برای این اثر بازخورد نوشته است؛ داوری نزد خود او می‌ماند."]
    }
    first.refresh_from_db()
    assert first.seat.user == Feedback.objects.get().assignment.seat.user != other

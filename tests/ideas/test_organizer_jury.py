"""The organizer's jury page: seating staff jurors (their unit and province come from their
membership), named conflicts, the assignment run with its summary, moving one review, removing a
juror; each bad input refused with its Persian sentence, nothing changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, User
from tabyin.ideas.entries.models import Entry
from tabyin.ideas.judging import services
from tabyin.ideas.judging.models import Assignment, Conflict, JurorSeat
from tests import factories
from tests.conftest import verified_client
from tests.ideas.test_jury_workflow import _setup

pytestmark = pytest.mark.django_db


def _messages(response: object) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]  # type: ignore[attr-defined]


def _fa(client: Client, url: str, data: dict[str, object]) -> object:
    with translation.override("fa"):
        return client.post(url, data)


def test_seating_a_juror_takes_their_unit_and_province(org: None, hq_analyst: User) -> None:
    challenge, _seats = _setup(hq_analyst)
    newcomer = factories.persona("j.isfahan", "ir-04", Role.JUROR)
    client = verified_client(hq_analyst)
    page = client.get(f"/staff/ideas/c/{challenge.slug}/jury/")
    assert page.status_code == 200
    choices = [label for _value, label in page.context["seat_form"].fields["user"].choices]
    assert choices[1:] == [newcomer.display_name]  # the five seated jurors are not offered again
    response = _fa(client, f"/staff/ideas/c/{challenge.slug}/jury/seat/", {"user": newcomer.pk})
    assert response.status_code == 302  # type: ignore[attr-defined]
    seat = JurorSeat.objects.get(user=newcomer)
    assert (seat.number, seat.unit.code, seat.province.code) == (6, "ir-04", "ir-04")  # type: ignore[union-attr]
    assert _messages(response) == ["داور ۶ به هیئت داوران افزوده شد."]
    # Someone without the jury member role is not offered, and the service refuses them too.
    analyst = factories.persona("hq.other", "hq", Role.ANALYST)
    bad = _fa(client, f"/staff/ideas/c/{challenge.slug}/jury/seat/", {"user": analyst.pk})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert bad.context["seat_form"].errors["user"] == [  # type: ignore[attr-defined]
        "یک گزینهٔ معتبر انتخاب کنید. آن گزینه از گزینه‌های موجود نیست."
    ]
    with translation.override("fa"), pytest.raises(ValidationError) as refused:
        services.seat_add_juror(actor=hq_analyst, challenge=challenge, user=analyst)
    assert refused.value.message_dict == {
        "user": ["فقط کارکنان فعال با نقش عضو هیئت داوران می‌توانند داور شوند."]
    }
    with translation.override("fa"), pytest.raises(ValidationError) as twice:
        services.seat_add_juror(actor=hq_analyst, challenge=challenge, user=newcomer)
    assert twice.value.message_dict == {"user": ["این فرد پیش‌تر در هیئت داوران این چالش است."]}
    assert JurorSeat.objects.filter(challenge=challenge).count() == 6


def test_assignment_run_reports_what_it_left(org: None, hq_analyst: User) -> None:
    challenge, _seats = _setup(hq_analyst)
    client = verified_client(hq_analyst)
    response = _fa(client, f"/staff/ideas/c/{challenge.slug}/jury/", {})
    assert _messages(response) == ["۱۸ داوری سپرده شد: ۶ ورودی، هر داور ۳ تا ۴ ورودی."]
    with translation.override("fa"):
        page = client.get(f"/staff/ideas/c/{challenge.slug}/jury/").content.decode()
    assert "۶ ورودی؛ هر داور ۳ تا ۴ ورودی را داوری می‌کند" in page


def test_a_named_conflict_withdraws_the_review(org: None, hq_analyst: User) -> None:
    challenge, seats = _setup(hq_analyst)
    services.assign(actor=hq_analyst, challenge=challenge)
    a = Assignment.objects.filter(seat=seats[0]).order_by("entry_id").first()
    assert a is not None
    client = verified_client(hq_analyst)
    url = f"/staff/ideas/c/{challenge.slug}/jury/conflict/"
    ok = _fa(client, url, {"seat": seats[0].pk, "entry": a.entry_id, "note": "همکار نویسنده است"})
    assert ok.status_code == 302  # type: ignore[attr-defined]
    conflict = Conflict.objects.get(seat=seats[0])
    assert (conflict.entry_id, conflict.note) == (a.entry_id, "همکار نویسنده است")
    assert not Assignment.objects.filter(pk=a.pk).exists()
    assert AuditEntry.objects.filter(action="create", after__entry_number=a.entry_id).count() == 1
    services.assign(actor=hq_analyst, challenge=challenge)
    assert not Assignment.objects.filter(seat=seats[0], entry_id=a.entry_id).exists()
    bad_cases = [
        ({"entry": 99999, "note": "دلیل"}, "entry", "در این چالش ورودی‌ای با این شماره نیست."),
        ({"entry": a.entry_id, "note": "دوباره"}, "entry", "این تعارض منافع پیش‌تر ثبت شده است."),
        ({"entry": a.entry_id, "note": ""}, "note", "پر کردن این بخش لازم است."),
        ({"entry": "یک", "note": "دلیل"}, "entry", "به طور کامل یک عدد وارد کنید."),
    ]
    for data, field, message in bad_cases:
        bad = _fa(client, url, {"seat": seats[0].pk, **data})
        assert bad.status_code == 400, data  # type: ignore[attr-defined]
        assert bad.context["conflict_form"].errors[field] == [message], data  # type: ignore[attr-defined]
    assert Conflict.objects.count() == 1


def test_moving_one_review(org: None, hq_analyst: User) -> None:
    challenge, seats = _setup(hq_analyst)
    services.assign(actor=hq_analyst, challenge=challenge)
    by_user = {s.user.username: s for s in seats}
    tehran_entry = Entry.objects.get(province__iso_code="IR-23")
    panel = set(Assignment.objects.filter(entry=tehran_entry).values_list("seat_id", flat=True))
    giver = next(s for s in seats if s.pk in panel)
    free = [s for s in seats if s.pk not in panel and s.user.username != "j.tehran"]
    client = verified_client(hq_analyst)
    url = f"/staff/ideas/c/{challenge.slug}/jury/reassign/"
    cases = [
        # The Tehran juror may not review an entry from Tehran.
        (by_user["j.tehran"], tehran_entry.pk, "to_seat", "این داور با این ورودی تعارض منافع دارد."),
        (
            next(s for s in seats if s.pk in panel and s != giver),
            tehran_entry.pk,
            "to_seat",
            "این داور همین حالا داور این ورودی است.",
        ),
    ]
    for to_seat, entry_id, field, message in cases:
        bad = _fa(client, url, {"entry": entry_id, "from_seat": giver.pk, "to_seat": to_seat.pk})
        assert bad.status_code == 400  # type: ignore[attr-defined]
        assert bad.context["reassign_form"].errors[field] == [message]  # type: ignore[attr-defined]
    if free:
        missing = _fa(client, url, {"entry": tehran_entry.pk, "from_seat": free[0].pk, "to_seat": giver.pk})
        assert missing.context["reassign_form"].errors["entry"] == [  # type: ignore[attr-defined]
            "این داور ورودی‌ای با این شماره را داوری نمی‌کند."
        ]
        ok = _fa(client, url, {"entry": tehran_entry.pk, "from_seat": giver.pk, "to_seat": free[0].pk})
        assert ok.status_code == 302  # type: ignore[attr-defined]
        assert set(Assignment.objects.filter(entry=tehran_entry).values_list("seat_id", flat=True)) == (
            panel - {giver.pk}
        ) | {free[0].pk}
    # A scored review stays with its juror.
    scored = Assignment.objects.filter(entry=tehran_entry).select_related("seat__user").first()
    assert scored is not None
    services.scores_submit(juror=scored.seat.user, assignment=scored, values={"impact": "5", "cost": "5"})
    other = next(s for s in seats if s.pk != scored.seat_id)
    with translation.override("fa"), pytest.raises(ValidationError) as kept:
        services.reassign(actor=hq_analyst, assignment=scored, seat=other)
    assert kept.value.message_dict == {"entry": ["این داوری امتیاز گرفته است و نزد داور خودش می‌ماند."]}
    # …and a juror who sent a score cannot be removed.
    removed = _fa(client, f"/staff/ideas/c/{challenge.slug}/jury/seat/{scored.seat_id}/remove/", {})
    assert _messages(removed)[-1] == "این داور امتیاز فرستاده است و در هیئت داوران می‌ماند."
    assert JurorSeat.objects.filter(pk=scored.seat_id).exists()
    idle = next(s for s in seats if not s.assignments.filter(submitted_at__isnull=False).exists())
    _fa(client, f"/staff/ideas/c/{challenge.slug}/jury/seat/{idle.pk}/remove/", {})
    assert not JurorSeat.objects.filter(pk=idle.pk).exists()


def test_a_juror_cannot_use_the_organizer_pages(org: None, hq_analyst: User) -> None:
    challenge, seats = _setup(hq_analyst)
    client = verified_client(seats[0].user)
    assert client.get(f"/staff/ideas/c/{challenge.slug}/jury/").status_code == 403
    assert client.post(f"/staff/ideas/c/{challenge.slug}/jury/", {}).status_code == 403
    assert (
        client.post(f"/staff/ideas/c/{challenge.slug}/jury/seat/", {"user": seats[0].user.pk}).status_code
        == 403
    )
    assert Assignment.objects.count() == 0

"""The request desk (issue 20.3): filing, the service level in working hours, moves in order
only, delivery, rating, duplicates, scope, refusals audited, notifications and "my work"."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from tabyin.core.models import AuditEntry, InboxItem, OrgUnit, User
from tabyin.core.registry import Priority
from tabyin.desk import work
from tabyin.desk.enums import Kind, State
from tabyin.desk.intake import services, services_flow
from tabyin.desk.intake.models import DeskRequest, Move, ServiceLevel
from tests.desk.conftest import at

pytestmark = pytest.mark.django_db
MONDAY = at(2026, 12, 7, 10)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _file(actor: User, unit: OrgUnit, **changes: object) -> DeskRequest:
    fields: dict[str, object] = {
        "kind": Kind.NEWS,
        "title": "خبر افتتاح بخش دیالیز",
        "purpose": "معرفی بخش تازه",
        "audience": "بیمه‌شدگان",
        "deadline": date(2026, 12, 20),
        "contact": "خانم احمدی، داخلی ۲۲۴۰",
        "now": MONDAY,
    }
    fields.update(changes)
    return services.request_file(actor=actor, unit=unit, **fields)  # type: ignore[arg-type]


def _refusals(code: str) -> list[AuditEntry]:
    return [e for e in AuditEntry.objects.all() if e.after.get("refused") == code]


def test_filing_sets_the_first_response_due_in_working_hours_and_tells_pr(
    nurse: User, hospital: OrgUnit, hq_analyst: User, tehran_officer: User, isfahan_officer: User
) -> None:
    r = _file(nurse, hospital, materials=[SimpleUploadedFile("poster.png", PNG)])
    assert r.state == State.SUBMITTED
    assert r.province_id == OrgUnit.objects.get(code="ir-23").pk
    assert r.response_due == at(2026, 12, 7, 14)  # news: 4 working hours
    assert [(f.label, f.content_type, f.role) for f in r.files.all()] == [
        ("poster.png", "image/png", "material")
    ]
    # Wednesday 13:00 + 4 h: 1.5 h on Wednesday, 2.5 h of Thursday's half day.
    later = _file(nurse, hospital, kind=Kind.COVERAGE, title="پوشش همایش", now=at(2026, 12, 9, 13))
    assert later.response_due == at(2026, 12, 10, 10)
    audit = AuditEntry.objects.filter(object_type="desk.deskrequest", action="create").count()
    assert audit == 2


@pytest.mark.usefixtures("hq_analyst", "tehran_officer", "isfahan_officer")
def test_pr_is_told_on_commit(
    django_capture_on_commit_callbacks: object, nurse: User, hospital: OrgUnit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        r = _file(nurse, hospital)
    told = sorted(InboxItem.objects.filter(key=f"filed-{r.pk}").values_list("user__username", flat=True))
    assert told == ["hq.analyst", "tehran.officer"]  # not Isfahan's officer


def test_acceptance_sets_the_due_time_across_a_holiday_and_the_weekend(
    nurse: User, hospital: OrgUnit, tehran_officer: User
) -> None:
    r = _file(nurse, hospital, now=at(2026, 12, 20, 9))
    r = services_flow.move(actor=tehran_officer, request=r, to=State.ACCEPTED, now=at(2026, 12, 21, 14))
    # 14 h from Monday 14:00: 0.5 Monday, Tuesday 1405-10-01 a holiday, 7 Wednesday, 4.5
    # Thursday, Friday off, 2 on Saturday.
    assert r.due_at == at(2026, 12, 26, 9, 30)
    assert r.first_response_at == at(2026, 12, 21, 14)


def test_a_past_deadline_is_refused_and_audited(nurse: User, hospital: OrgUnit) -> None:
    with pytest.raises(ValidationError) as caught:
        _file(nurse, hospital, deadline=date(2026, 12, 6))
    assert list(caught.value.message_dict) == ["deadline"]
    assert DeskRequest.objects.count() == 0
    assert [e.after["deadline"] for e in _refusals("past_deadline")] == ["2026-12-06"]


def test_a_file_of_the_wrong_type_is_refused_and_audited(nurse: User, hospital: OrgUnit) -> None:
    program = SimpleUploadedFile("poster.jpg", b"MZ\x90\x00" + b"\x00" * 300)
    with pytest.raises(ValidationError) as caught:
        _file(nurse, hospital, materials=[program])
    assert list(caught.value.message_dict) == ["materials"]
    assert "poster.jpg" in caught.value.message_dict["materials"][0]
    assert DeskRequest.objects.count() == 0
    assert len(_refusals("file_refused")) == 1


def test_another_units_request_is_404_and_audited(
    nurse: User, hospital: OrgUnit, isfahan_staff: User, isfahan_officer: User, hq_analyst: User
) -> None:
    r = _file(nurse, hospital)
    for outsider in (isfahan_staff, isfahan_officer):
        with pytest.raises(Http404):
            services.request_for(outsider, r.pk)
    assert [e.actor_username for e in _refusals("other_unit")] == ["isfahan.officer", "isfahan.staff"]
    assert services.request_for(hq_analyst, r.pk) == r
    assert services.request_for(nurse, r.pk) == r


def test_moves_out_of_order_are_refused_with_the_moves_allowed(
    nurse: User, hospital: OrgUnit, tehran_officer: User
) -> None:
    r = _file(nurse, hospital)
    with pytest.raises(ValidationError) as caught:
        services_flow.move(actor=tehran_officer, request=r, to=State.DELIVERED)
    expected = (
        "این درخواست «در انتظار روابط عمومی» است؛ "
        "از این وضعیت فقط به «درخواست اطلاعات بیشتر»، «پذیرفته»، «ردشده» می‌رود."
    )
    assert caught.value.messages == [expected]
    r.refresh_from_db()
    assert r.state == State.SUBMITTED
    assert [(e.before["state"], e.after["state"]) for e in _refusals("out_of_order")] == [
        ("submitted", "delivered")
    ]
    with pytest.raises(ValidationError):
        services_flow.rate(actor=nurse, request=r, rating=5)
    with pytest.raises(PermissionDenied):  # the requester cannot accept their own request
        services_flow.move(actor=nurse, request=r, to=State.ACCEPTED)


def test_declining_and_asking_need_a_reason(nurse: User, hospital: OrgUnit, tehran_officer: User) -> None:
    r = _file(nurse, hospital)
    with pytest.raises(ValidationError) as caught:
        services_flow.move(actor=tehran_officer, request=r, to=State.DECLINED, note="  ")
    assert list(caught.value.message_dict) == ["note"]
    r = services_flow.move(actor=tehran_officer, request=r, to=State.DECLINED, note="تکراری است")
    assert (r.state, r.reason, r.closed_at is not None) == (State.DECLINED, "تکراری است", True)


def test_the_whole_way_from_a_question_to_a_rating(
    nurse: User, hospital: OrgUnit, tehran_officer: User, hq_analyst: User
) -> None:
    r = _file(nurse, hospital)
    r = services_flow.move(
        actor=tehran_officer, request=r, to=State.NEEDS_INFO, note="عکس‌ها را بفرستید", now=at(2026, 12, 7, 11)
    )
    assert [(i.key, i.priority, i.due) for i in work.work_items(nurse)] == [
        (f"info-{r.pk}", Priority.HIGH, None)
    ]
    r = services_flow.answer_info(actor=nurse, request=r, text="عکس‌ها پیوست شد", now=at(2026, 12, 7, 12))
    assert r.state == State.SUBMITTED
    r = services_flow.move(actor=tehran_officer, request=r, to=State.ACCEPTED, now=at(2026, 12, 7, 13))
    r = services_flow.assign(actor=tehran_officer, request=r, owner=tehran_officer)
    with pytest.raises(ValidationError):
        services_flow.assign(actor=tehran_officer, request=r, owner=nurse)
    r = services_flow.move(actor=tehran_officer, request=r, to=State.IN_PROGRESS, now=at(2026, 12, 8, 8))
    with pytest.raises(ValidationError) as caught:
        services_flow.deliver(actor=tehran_officer, request=r)
    assert list(caught.value.message_dict) == ["url"]
    r = services_flow.deliver(
        actor=tehran_officer,
        request=r,
        url="https://example.org/news/1",
        ref="campaigns:12",
        now=at(2026, 12, 8, 10),
    )
    assert r.state == State.DELIVERED
    assert [(d.url, d.ref) for d in r.deliveries.all()] == [("https://example.org/news/1", "campaigns:12")]
    with pytest.raises(ValidationError) as caught:
        services_flow.rate(actor=nurse, request=r, rating=6)
    assert list(caught.value.message_dict) == ["rating"]
    r = services_flow.rate(actor=nurse, request=r, rating=4, note="خوب", now=at(2026, 12, 9, 9))
    assert (r.state, r.rating, r.first_response_at, r.delivered_at) == (
        State.CLOSED,
        4,
        at(2026, 12, 7, 11),
        at(2026, 12, 8, 10),
    )
    # Accepted Monday 13:00 + 14 h: 1.5 Monday, 7 Tuesday, 5.5 Wednesday -> 13:00.
    assert r.due_at == at(2026, 12, 9, 13)
    assert list(Move.objects.filter(request=r).values_list("from_state", "to_state")) == [
        ("submitted", "needs_info"),
        ("needs_info", "submitted"),
        ("submitted", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "delivered"),
        ("delivered", "closed"),
    ]
    assert r.comments.count() == 1
    assert work.work_items(nurse) == []


def test_a_similar_title_from_the_same_unit_is_flagged_as_a_duplicate(nurse: User, hospital: OrgUnit) -> None:
    first = _file(nurse, hospital, title="خبر آغاز نوبت‌دهی اینترنتی درمانگاه")
    second = _file(nurse, hospital, title="خبر آغاز نوبت دهي اینترنتی درمانگاه ها", now=at(2026, 12, 10, 9))
    other_kind = _file(nurse, hospital, kind=Kind.SOCIAL, title="خبر آغاز نوبت‌دهی اینترنتی درمانگاه")
    late = _file(
        nurse,
        hospital,
        title="خبر آغاز نوبت‌دهی اینترنتی درمانگاه",
        now=at(2026, 12, 28, 9),
        deadline=date(2027, 1, 5),
    )
    assert (second.duplicate_of_id, other_kind.duplicate_of_id, late.duplicate_of_id) == (
        first.pk,
        None,
        None,
    )


def test_my_work_for_pr_and_for_the_requester(
    nurse: User, hospital: OrgUnit, tehran_officer: User, hq_analyst: User, isfahan_officer: User
) -> None:
    waiting = _file(nurse, hospital, title="الف")
    doing = _file(nurse, hospital, title="ب")
    services_flow.move(actor=hq_analyst, request=doing, to=State.ACCEPTED, now=at(2026, 12, 7, 11))
    theirs = _file(nurse, hospital, title="پ")
    services_flow.move(actor=hq_analyst, request=theirs, to=State.ACCEPTED, now=at(2026, 12, 7, 11))
    services_flow.assign(actor=hq_analyst, request=theirs, owner=hq_analyst)
    found = [(i.key, i.due, i.priority) for i in work.work_items(tehran_officer)]
    assert found == [
        (f"answer-{waiting.pk}", at(2026, 12, 7, 14), Priority.HIGH),
        # 14 h from Monday 11:00: 3.5 Monday, 7 Tuesday, 3.5 Wednesday.
        (f"deliver-{doing.pk}", at(2026, 12, 9, 11), Priority.NORMAL),
    ]
    assert [i.key for i in work.work_items(hq_analyst)] == [
        f"answer-{waiting.pk}",
        f"deliver-{doing.pk}",
        f"deliver-{theirs.pk}",
    ]
    assert work.work_items(isfahan_officer) == []
    assert work.work_items(nurse) == []


def test_changes_and_comments_reach_the_other_side(
    django_capture_on_commit_callbacks: object, nurse: User, hospital: OrgUnit, tehran_officer: User
) -> None:
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):  # type: ignore[operator]
        r = _file(nurse, hospital)
    with capture(execute=True):  # type: ignore[operator]
        services_flow.move(actor=tehran_officer, request=r, to=State.ACCEPTED, now=at(2026, 12, 7, 11))
        services.comment_add(actor=tehran_officer, request=r, text="عکس‌ها رسید")
    with capture(execute=True):  # type: ignore[operator]
        services_flow.assign(actor=tehran_officer, request=r, owner=tehran_officer)
        services.comment_add(actor=nurse, request=r, text="سپاس")
    told = sorted(InboxItem.objects.values_list("user__username", "key"))
    comments = list(r.comments.order_by("pk").values_list("pk", flat=True))
    assert told == sorted(
        [
            ("tehran.officer", f"filed-{r.pk}"),
            ("hospital.staff", f"state-{r.pk}-accepted"),
            ("hospital.staff", f"comment-{comments[0]}"),
            ("tehran.officer", f"comment-{comments[1]}"),
        ]
    )
    titles = dict(InboxItem.objects.values_list("key", "title"))
    assert titles[f"state-{r.pk}-accepted"] == "درخواست «خبر افتتاح بخش دیالیز» اکنون: پذیرفته"


def test_service_levels_are_editable_by_national_administrators_only(
    hq_admin: User, tehran_admin: User, nurse: User, hospital: OrgUnit
) -> None:
    row = ServiceLevel(kind=Kind.NEWS, response_hours=2, delivery_hours=7)
    with pytest.raises(PermissionDenied):
        services.service_level_save(actor=tehran_admin, row=row)
    services.service_level_save(actor=hq_admin, row=row)
    assert _file(nurse, hospital).response_due == at(2026, 12, 7, 12)  # 2 working hours now
    assert AuditEntry.objects.filter(object_type="desk.servicelevel").count() == 1

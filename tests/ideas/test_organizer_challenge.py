"""The organizer's challenge form: a good challenge saved as a draft and published, and each bad
input refused beside its field with the Persian sentence, nothing saved."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import translation

from tabyin.core.models import AuditEntry, User
from tabyin.ideas.challenges.models import Challenge
from tests import factories
from tests.conftest import verified_client
from tests.ideas.helpers import make_challenge

pytestmark = pytest.mark.django_db
TEHRAN = ZoneInfo("Asia/Tehran")

GOOD: dict[str, Any] = {
    "slug": "pension-letters",
    "title": "نامه‌های مستمری روشن‌تر",
    "problem": "نامه‌های مستمری را کسی نمی‌فهمد.",
    "rules": "ایده باید با قانون سازگار باشد.",
    "kind": "contest",
    "media_kinds": ["video", "poster"],
    "file_groups": ["image", "video"],
    "eligibility": "insured",
    "categories": "نامه\nپیامک\nنامه\n",
    "prizes": "سه جایزهٔ نقدی",
    "blind_review": "on",
    "pairwise": "on",
    "submission_opens": "۱۴۰۵/۱۰/۰۱",
    "submission_closes": "1405/10/30",
    "moderation_closes": "1405/11/10",
    "support_closes": "1405/11/20",
    "jury_closes": "1405/12/10",
    "results_at": "1405/12/15",
    "implementation_until": "1406/06/31",
    "criterion_1_label": "اثر",
    "criterion_1_weight": "۶۰",
    "criterion_1_max": "10",
    "criterion_2_label": "هزینه",
    "criterion_2_weight": "40",
    "criterion_2_max": "۵",
}


def _client(user: User) -> Client:
    return verified_client(user)


def _post(client: Client, **changes: Any) -> Any:
    data = {**GOOD, **changes}
    with translation.override("fa"):
        return client.post("/staff/ideas/new/", {k: v for k, v in data.items() if v is not None})


def test_a_good_challenge_is_saved_as_a_draft_and_published(hq_analyst: User) -> None:
    client = _client(hq_analyst)
    response = _post(client)
    assert response.status_code == 302
    assert response["Location"] == "/staff/ideas/c/pension-letters/edit/"
    c = Challenge.objects.get(slug="pension-letters")
    assert (c.kind, c.eligibility, c.insured_only, c.blind_review, c.is_draft) == (
        "contest",
        "insured",
        True,
        True,
        True,
    )
    assert c.pairwise is True
    assert c.media_kinds == ["video", "poster"]
    assert c.file_groups == ["image", "video"]
    assert c.categories == ["نامه", "پیامک"]
    assert c.rubric == [
        {"key": "c1", "label": "اثر", "weight": 0.6, "max": 10},
        {"key": "c2", "label": "هزینه", "weight": 0.4, "max": 5},
    ]
    # 1405/10/01 is 2026-12-22; an "ends" date runs to the end of its day (Tehran time):
    # 1405/10/30 is 2027-01-20, so submissions close at the midnight that starts 2027-01-21.
    assert c.submission_opens == datetime(2026, 12, 22, tzinfo=TEHRAN)
    assert c.submission_closes == datetime(2027, 1, 21, tzinfo=TEHRAN)
    assert c.results_at == datetime(2027, 3, 6, tzinfo=TEHRAN)
    assert c.implementation_until == datetime(2027, 9, 23, tzinfo=TEHRAN)
    assert c.created_by == hq_analyst
    # A draft is not public.
    assert Client().get("/ideas/c/pension-letters/").status_code == 404
    assert "pension-letters" not in Client().get("/ideas/").content.decode()
    # The edit page shows the dates back as typed (Persian digits) and the weights in percent.
    page = client.get("/staff/ideas/c/pension-letters/edit/").content.decode()
    assert 'value="۱۴۰۵/۱۰/۳۰"' in page
    assert 'value="۶۰"' in page
    assert client.post("/staff/ideas/c/pension-letters/publish/").status_code == 302
    c.refresh_from_db()
    assert c.is_draft is False
    assert Client().get("/ideas/c/pension-letters/").status_code == 200
    actions = list(
        AuditEntry.objects.filter(object_id=str(c.pk), object_type__endswith="challenge")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]


def test_editing_keeps_the_address_and_the_criteria_keys(hq_analyst: User) -> None:
    client = _client(hq_analyst)
    _post(client)
    data = {k: v for k, v in GOOD.items() if k != "slug"}
    data.update(title="عنوان تازه", criterion_1_label="اثر بر مردم", slug="other")
    with translation.override("fa"):
        response = client.post("/staff/ideas/c/pension-letters/edit/", data)
    assert response.status_code == 302
    c = Challenge.objects.get(slug="pension-letters")
    assert c.title == "عنوان تازه"
    assert [r["key"] for r in c.rubric] == ["c1", "c2"]
    assert c.rubric[0]["label"] == "اثر بر مردم"
    assert not Challenge.objects.filter(slug="other").exists()


BAD = [
    (
        {"moderation_closes": "1405/10/20"},
        "moderation_closes",
        "این تاریخ باید بعد از «پایان دریافت» (۳۰ دی ۱۴۰۵) باشد.",
    ),
    (
        {"results_at": "1405/12/10"},
        "results_at",
        "این تاریخ باید بعد از «پایان داوری» (۱۰ اسفند ۱۴۰۵) باشد.",
    ),
    ({"jury_closes": ""}, "jury_closes", "این تاریخ را بنویسید."),
    ({"support_closes": "1405/13/01"}, "support_closes", "تاریخ شمسی را مانند ۱۴۰۵/۱۰/۰۱ بنویسید."),
    ({"criterion_2_weight": "30"}, "criterion_1_weight", "جمع وزن‌ها باید ۱۰۰ باشد؛ اکنون ۹۰ است."),
    ({"criterion_2_weight": "0"}, "criterion_2_weight", "وزن معیار باید بیشتر از صفر باشد."),
    ({"criterion_2_max": "200"}, "criterion_2_max", "بیشترین امتیاز را از ۱ تا ۱۰۰ بنویسید."),
    ({"criterion_2_max": "2.5"}, "criterion_2_max", "عدد صحیح بنویسید."),
    ({"criterion_2_weight": "چهل"}, "criterion_2_weight", "عدد بنویسید."),
    (
        {"criterion_3_weight": "10"},
        "criterion_3_label",
        "نام معیار را بنویسید یا وزن و بیشترین امتیازش را پاک کنید.",
    ),
    (
        {
            "criterion_1_label": "",
            "criterion_1_weight": "",
            "criterion_1_max": "",
            "criterion_2_label": "",
            "criterion_2_weight": "",
            "criterion_2_max": "",
        },
        "criterion_1_label",
        "هیئت داوران دست‌کم یک معیار لازم دارد.",
    ),
    ({"media_kinds": []}, "media_kinds", "مسابقهٔ محتوا دست‌کم یک نوع اثر می‌پذیرد."),
    ({"slug": "queues"}, "slug", "چالش دیگری همین نام نشانی را دارد."),
    ({"slug": ""}, "slug", "برای چالش یک نام نشانی بنویسید."),
    ({"rules": "  "}, "rules", "پر کردن این بخش لازم است."),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_each_bad_input_is_refused_beside_its_field(
    hq_analyst: User, change: dict[str, Any], field: str, message: str
) -> None:
    make_challenge()  # holds the address name "queues"
    client = _client(hq_analyst)
    response = _post(client, **change)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors[field] == [message]
    assert Challenge.objects.count() == 1
    # What was typed is shown back.
    assert GOOD["title"] in response.content.decode()


def test_the_rubric_cannot_change_once_a_juror_scored(hq_analyst: User) -> None:
    from tests.ideas.test_jury_workflow import _setup

    challenge, seats = _setup(hq_analyst)
    from tabyin.ideas.judging import services

    services.assign(actor=hq_analyst, challenge=challenge)
    assignment = seats[0].assignments.first()
    assert assignment is not None
    services.scores_submit(juror=seats[0].user, assignment=assignment, values={"impact": "5", "cost": "5"})
    client = _client(hq_analyst)
    page = client.get(f"/staff/ideas/c/{challenge.slug}/edit/")
    data = {k: v for k, v in page.context["form"].initial.items() if v not in (None, False)}
    data.update(criterion_1_weight="50", criterion_2_weight="50", kind="contest", media_kinds=["video"])
    with translation.override("fa"):
        response = client.post(f"/staff/ideas/c/{challenge.slug}/edit/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["criterion_1_label"] == [
        "داوران امتیاز فرستاده‌اند؛ معیارهای داوری دیگر تغییر نمی‌کند."
    ]
    assert response.context["form"].errors["kind"] == ["ورودی‌ها فرستاده شده‌اند؛ نوع چالش دیگر تغییر نمی‌کند."]


def test_only_organizers_reach_the_form(org: None) -> None:
    juror = factories.persona("j.one", "ir-01", factories.Role.JUROR)
    assert verified_client(juror).get("/staff/ideas/new/").status_code == 403
    assert verified_client(juror).post("/staff/ideas/new/", GOOD).status_code == 403
    assert not Challenge.objects.exists()

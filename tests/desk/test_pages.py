"""The desk's staff pages over the demo: the list, the board with its overdue cards, a request's
page, the reports; a refused filing keeps what was typed; another unit's request is a 404."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from lxml import html

from tabyin.core import demo as core_demo
from tabyin.core.models import SealedTotpDevice, User
from tabyin.desk import demo
from tabyin.desk.enums import State
from tabyin.desk.intake import services_flow
from tabyin.desk.intake.models import DeskRequest
from tests.browser.persian_reader import text_findings
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_loaded(settings: object, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    core_demo.load()
    demo.load()


def _client(username: str) -> object:
    user = User.objects.get(username=username)
    SealedTotpDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
    return verified_client(user)


def _text(node: html.HtmlElement) -> str:
    return " ".join(node.text_content().split())


@pytest.mark.usefixtures("demo_loaded")
def test_the_demo_stands_in_every_state_with_ratings_and_a_duplicate() -> None:
    states = sorted(DeskRequest.objects.values_list("state", flat=True))
    assert states == [
        "accepted",
        "closed",
        "closed",
        "declined",
        "delivered",
        "delivered",
        "in_progress",
        "in_progress",
        "needs_info",
        "submitted",
        "submitted",
    ]
    assert set(states) == set(State.values)
    assert sorted(DeskRequest.objects.exclude(rating=None).values_list("rating", flat=True)) == [4, 5]
    assert DeskRequest.objects.exclude(duplicate_of=None).count() == 1
    assert demo.load() == "desk: requests kept"


@pytest.mark.usefixtures("demo_loaded")
def test_the_board_shows_every_column_and_the_overdue_cards() -> None:
    page = html.fromstring(_client("hq.analyst").get("/staff/desk/board/").content)  # type: ignore[attr-defined]
    columns = [_text(h) for h in page.xpath("//section[@class='desk-column']/h2")]
    assert columns == [
        "در انتظار روابط عمومی (۲)",
        "درخواست اطلاعات بیشتر (۱)",
        "پذیرفته (۱)",
        "در حال انجام (۲)",
        "تحویل‌شده (۲)",
        "بسته‌شده (۲)",
        "ردشده (۱)",
    ]
    assert len(page.xpath("//li[contains(@class, 'desk-card-overdue')]")) == 4
    assert _text(page.xpath("//p[@data-testid='desk-overdue']")[0]) == "۴ درخواست از موعدشان گذشته‌اند."


@pytest.mark.usefixtures("demo_loaded")
def test_a_provincial_officer_sees_their_province_only_and_others_get_404() -> None:
    client = _client("tehran.officer")
    page = html.fromstring(client.get("/staff/desk/").content)  # type: ignore[attr-defined]
    titles = sorted(_text(a) for a in page.xpath("//table[@data-testid='desk-list']//td[1]/a"))
    assert titles == sorted(
        [
            "پوشش تصویری افتتاح بخش دیالیز بیمارستان شهدا",
            "خبر آغاز نوبت‌دهی اینترنتی درمانگاه تخصصی بیمارستان",
            "خبر آغاز نوبت دهی اینترنتی درمانگاه های تخصصی",
            "اینفوگرافیک خدمات درمانی رایگان برای بیمه‌شدگان",
        ]
    )
    isfahan = DeskRequest.objects.filter(unit__code="ir-10").first()
    assert isfahan is not None
    assert client.get(f"/staff/desk/{isfahan.pk}/").status_code == 404  # type: ignore[attr-defined]


@pytest.mark.usefixtures("demo_loaded")
def test_a_request_page_and_the_requesters_rating() -> None:
    item = DeskRequest.objects.get(state=State.DELIVERED, requester__username="hq.deputy")
    client = _client("hq.deputy")
    page = html.fromstring(client.get(f"/staff/desk/{item.pk}/").content)  # type: ignore[attr-defined]
    assert _text(page.xpath("//*[@data-testid='desk-state']")[0]) == "تحویل‌شده"
    assert page.xpath("//form[@data-testid='desk-rate']")
    assert not page.xpath("//form[@data-testid='desk-move']")  # the requester does not triage
    refused = client.post(f"/staff/desk/{item.pk}/rate/", {"rating": "9", "note": "خوب"})  # type: ignore[attr-defined]
    assert refused.status_code == 400
    assert "خوب" in refused.content.decode()
    done = client.post(f"/staff/desk/{item.pk}/rate/", {"rating": "5", "note": "عالی"})  # type: ignore[attr-defined]
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.rating, item.rating_note) == (State.CLOSED, 5, "عالی")


@pytest.mark.usefixtures("demo_loaded")
def test_a_past_deadline_is_refused_in_persian_and_nothing_typed_is_lost() -> None:
    client = _client("hq.deputy")
    form = {
        "unit": str(User.objects.get(username="hq.deputy").memberships.get().unit_id),
        "kind": "news",
        "title": "خبر همایش سالانهٔ پزشکان",
        "purpose": "گزارش همایش",
        "audience": "کادر درمان",
        "deadline": "۱۴۰۰/۰۱/۱۵",
        "contact": "دفتر معاون، داخلی ۳۱۰",
    }
    response = client.post("/staff/desk/new/", form)  # type: ignore[attr-defined]
    assert response.status_code == 400
    body = response.content.decode()
    assert "مهلتی که نوشته‌اید گذشته است؛ روزی دیرتر را انتخاب کنید." in body
    assert "خبر همایش سالانهٔ پزشکان" in body and "دفتر معاون، داخلی ۳۱۰" in body
    assert DeskRequest.objects.filter(title="خبر همایش سالانهٔ پزشکان").count() == 0
    good = client.post("/staff/desk/new/", {**form, "deadline": "۱۴۰۶/۰۱/۱۵"})  # type: ignore[attr-defined]
    assert good.status_code == 302
    assert re.fullmatch(r"/staff/desk/\d+/", good["Location"])


@pytest.mark.usefixtures("demo_loaded")
def test_the_reports_page_counts_by_unit_and_kind() -> None:
    page = html.fromstring(_client("hq.analyst").get("/staff/desk/reports/").content)  # type: ignore[attr-defined]
    rows = {
        _text(tr.xpath("./th")[0]): _text(tr.xpath("./td")[-1])
        for tr in page.xpath("//table[@data-testid='desk-units']/tbody/tr")
    }
    assert rows == {
        "اصفهان": "۳",
        "بیمارستان شهدای تأمین اجتماعی تهران (نمونه)": "۴",
        "سازمان تأمین اجتماعی (نمونه)": "۴",
    }
    ratings = [
        _text(tr.xpath("./td")[-1]) for tr in page.xpath("//table[@data-testid='desk-kinds']/tbody/tr")
    ]
    assert ratings == ["—", "۴٫۰ (۱)", "۵٫۰ (۱)", "—", "—", "—"]


@pytest.mark.usefixtures("demo_loaded")
def test_the_audit_log_reads_the_desks_entries_in_persian() -> None:
    """Every desk change and refusal in the log, read as a Persian reader would (the crawl's own
    rules): unit and owner by name, states and kinds by label, no raw code or Latin digit."""
    item = DeskRequest.objects.filter(state=State.SUBMITTED).first()
    assert item is not None
    officer = User.objects.get(username="tehran.officer")
    with pytest.raises(ValidationError):
        services_flow.move(actor=officer, request=item, to=State.CLOSED)
    services_flow.move(actor=officer, request=item, to=State.ACCEPTED)
    services_flow.move(actor=officer, request=item, to=State.IN_PROGRESS)
    services_flow.deliver(actor=officer, request=item, url="https://example.org/x", ref="campaigns:12")
    page = html.fromstring(_client("admin").get("/staff/audit/?page=1").content)  # type: ignore[attr-defined]
    for hidden in page.xpath("//code | //*[@translate='no'] | //*[@lang and not(starts-with(@lang, 'fa'))]"):
        hidden.drop_tree()
    main = page.xpath("//main")[0]
    text = "\n".join(" ".join(li.text_content().split()) for li in main.xpath(".//li | .//tr"))
    assert "تحویل‌شده" in text and "خارج از ترتیب" in text
    assert text_findings("/staff/audit/", text) == []

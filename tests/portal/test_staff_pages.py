"""The portal's staff pages: second factor, permissions, the upload → report → publish path, the
explanation editor, the CSV template and constant query counts on the list pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, User
from tabyin.portal.enums import ExplanationKind, ExplanationState, ReleaseState
from tabyin.portal.explanations.services import explanation_draft
from tabyin.portal.models import Dataset, Explanation, Indicator, Observation, Release, Theme
from tabyin.portal.staff import selectors as staff
from tests import factories
from tests.portal import factories as portal_factories

StaffClient = Callable[[User], Client]
# 26 Nov 2025 is 5 Azar 1404: last month is Aban, "1404-08".
TODAY = datetime(2025, 11, 26, 9, 0, tzinfo=UTC)

CSV_VALID = (
    b"indicator,area,period,value,numerator,denominator\n"
    b"online-requests,IR,1404-08,120000,,\n"
    b"online-share,IR,1404-08,75.0,45,60\n"
)
CSV_WITH_ERROR = CSV_VALID + b"online-share,IR-99,1404-08,50,1,2\n"


@pytest.fixture(autouse=True)
def _persian() -> Any:
    """A request under /en/ leaves English active in the thread; every test starts in Persian."""
    with translation.override("fa"):
        yield


@pytest.fixture
def catalog(org: None) -> None:
    portal_factories.install_catalog()


@pytest.fixture
def publisher(org: None) -> User:
    return factories.persona("hq.publisher", "hq", Role.DATA_PUBLISHER)


@pytest.fixture
def manager(org: None) -> User:
    return factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)


def _upload(client: Client, content: bytes, **extra: Any) -> Any:
    dataset = Dataset.objects.get(slug="e-services")
    data = {
        "dataset": dataset.pk,
        "file": SimpleUploadedFile("aban.csv", content, "text/csv"),
        "status": "final",
    }
    return client.post(reverse("portal:staff-release-new"), data | extra)


def _fa(message: str) -> str:
    """The Persian text a page shows for an English message (pages are Persian by default)."""
    with translation.override("fa"):
        return translation.gettext(message)


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _draft(actor: User, title: str = "عنوان", area: str = "") -> Explanation:
    return explanation_draft(
        actor=actor,
        indicator=Indicator.objects.get(code="online-share"),
        kind=ExplanationKind.WEAKNESS,
        area=area,
        title_fa=title,
        body_fa="بند یک\n\nبند دو",
    )


# --- Access ------------------------------------------------------------------------------------

PAGES = ["portal:staff-releases", "portal:staff-release-new", "portal:staff-explanations",
         "portal:staff-explanation-new"]  # fmt: skip


@pytest.mark.parametrize("name", PAGES)
def test_staff_pages_need_password_and_second_factor(catalog: None, publisher: User, name: str) -> None:
    url = reverse(name)

    anonymous = Client().get(url)
    password_only = Client()
    password_only.force_login(publisher)
    half = password_only.get(url)

    assert (anonymous.status_code, anonymous["Location"]) == (
        302,
        f"/staff/login/?next={url.replace('/', '%2F')}",
    )
    assert (half.status_code, half["Location"]) == (302, "/staff/login/code/")


def test_release_pages_are_for_data_publishers(
    catalog: None, hq_analyst: User, staff_client: StaffClient
) -> None:
    client = staff_client(hq_analyst)

    assert client.get(reverse("portal:staff-releases")).status_code == 403
    assert client.get(reverse("portal:staff-release-new")).status_code == 403
    assert client.get(reverse("portal:staff-release-template", args=["e-services"])).status_code == 403
    assert _upload(client, CSV_VALID).status_code == 403
    assert Release.objects.count() == 0
    assert client.get(reverse("portal:staff-explanations")).status_code == 200


# --- Releases ----------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_upload_through_the_page_lands_on_the_report(
    catalog: None, publisher: User, staff_client: StaffClient
) -> None:
    client = staff_client(publisher)

    response = _upload(client, CSV_WITH_ERROR, note="ماه آبان")

    release = Release.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/staff/portal/releases/{release.pk}/")
    assert (release.state, release.row_count, release.note, release.created_by) == (
        ReleaseState.REJECTED, 2, "ماه آبان", publisher,
    )  # fmt: skip
    [error] = release.report["errors"]
    assert (error["row"], error["column"], error["code"]) == (4, "area", "unknown_area")
    persian = _text(client.get(response["Location"]))
    assert f'<td>۴</td> <td><span class="ltr">area</span></td> <td>{escape(error["fa"])}</td>' in persian
    assert error["en"] not in persian
    assert "/withdraw/" in persian and "/publish/" not in persian
    english = _text(client.get("/en" + response["Location"]))
    assert f'<td>4</td> <td><span class="ltr">area</span></td> <td>{escape(error["en"])}</td>' in english


@time_machine.travel(TODAY, tick=False)
def test_validated_upload_is_published_from_the_report_page(
    catalog: None, publisher: User, staff_client: StaffClient
) -> None:
    client = staff_client(publisher)
    report_url = _upload(client, CSV_VALID)["Location"]
    release = Release.objects.get()
    page = _text(client.get(report_url))
    assert release.state == ReleaseState.VALIDATED
    assert "/publish/" in page and "/withdraw/" in page and _fa("No errors.") in page

    response = client.post(reverse("portal:staff-release-publish", args=[release.pk]))

    release.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, report_url)
    assert (release.state, release.published_by) == (ReleaseState.PUBLISHED, publisher)
    values = Observation.objects.order_by("indicator__code").values_list("indicator__code", "area", "period")
    assert list(values) == [("online-requests", "IR", "1404-08"), ("online-share", "IR", "1404-08")]
    again = client.post(reverse("portal:staff-release-withdraw", args=[release.pk]), follow=True)
    assert '<p class="message message-error">انتشار شمارهٔ 1 ' in _text(again)  # the service's refusal
    release.refresh_from_db()
    assert release.state == ReleaseState.PUBLISHED


@time_machine.travel(TODAY, tick=False)
def test_withdraw_from_the_report_page(catalog: None, publisher: User, staff_client: StaffClient) -> None:
    client = staff_client(publisher)
    _upload(client, CSV_VALID)
    release = Release.objects.get()

    client.post(reverse("portal:staff-release-withdraw", args=[release.pk]))

    release.refresh_from_db()
    assert release.state == ReleaseState.WITHDRAWN
    assert Observation.objects.count() == 0
    assert client.get(reverse("portal:staff-release-publish", args=[release.pk])).status_code == 405


def test_correction_without_a_reason_is_caught_by_the_form(
    catalog: None, publisher: User, staff_client: StaffClient
) -> None:
    response = _upload(staff_client(publisher), CSV_VALID, is_correction="on")

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": [_fa("Say why the figures are corrected.")]}
    assert Release.objects.count() == 0


@time_machine.travel(TODAY, tick=False)
def test_template_csv_has_the_header_and_one_example_row_per_indicator(
    catalog: None, publisher: User, staff_client: StaffClient
) -> None:
    client = staff_client(publisher)

    response = client.get(reverse("portal:staff-release-template", args=["e-services"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="e-services-template.csv"'
    assert response.content == (
        b"indicator,area,period,value,numerator,denominator\n"
        b"online-requests,IR,1404-08,1000,,\n"
        b"online-share,IR,1404-08,75.0,45,60\n"
    )
    _upload(client, response.content)  # the template itself validates
    assert Release.objects.get().state == ReleaseState.VALIDATED


def test_error_count_is_counted_by_the_database(catalog: None, publisher: User) -> None:
    dataset = Dataset.objects.get(slug="services")
    clean = portal_factories.release(dataset)
    failed = portal_factories.release(dataset)
    failed.report = {"errors": [{"row": n} for n in range(3)], "warnings": [{"row": 9}]}
    failed.save()

    counts = {r.pk: r.error_count for r in staff.releases_for_staff(actor=publisher)}

    assert counts == {clean.pk: 0, failed.pk: 3}


@pytest.mark.parametrize("extra", [0, 4])
def test_release_list_runs_a_constant_number_of_queries(
    catalog: None,
    publisher: User,
    staff_client: StaffClient,
    django_assert_num_queries: Any,
    extra: int,
) -> None:
    client = staff_client(publisher)
    datasets = list(Dataset.objects.order_by("slug"))
    for n in range(2 + extra):
        portal_factories.release(datasets[n % len(datasets)])

    client.get(reverse("portal:staff-releases"))  # the menu's work counts are then in the session
    # session, user, OTP device, scope, count, the page of releases (error counts included)
    with django_assert_num_queries(6):
        response = client.get(reverse("portal:staff-releases"))

    assert response.status_code == 200
    assert len(re.findall('data-testid="release-row"', response.content.decode())) == 2 + extra


# --- Explanations ----------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 5])
def test_explanation_list_runs_a_constant_number_of_queries(
    catalog: None,
    hq_analyst: User,
    staff_client: StaffClient,
    django_assert_num_queries: Any,
    extra: int,
) -> None:
    client = staff_client(hq_analyst)
    for n in range(2 + extra):
        _draft(hq_analyst, title=f"عنوان {n}", area="IR-23" if n % 2 else "")

    # session, user, OTP device, scope, count, province names, page, state counts, indicator choices
    client.get(reverse("portal:staff-explanations"))  # the menu's work counts are then in the session
    with django_assert_num_queries(9):
        response = client.get(reverse("portal:staff-explanations"), {"state": "draft"})

    assert len(re.findall('data-testid="explanation-row"', response.content.decode())) == 2 + extra
    assert response.context["counts"]["draft"] == 2 + extra


def test_explanation_editor_write_submit_approve_and_revise(
    catalog: None, hq_analyst: User, manager: User, staff_client: StaffClient
) -> None:
    analyst, reviewer = staff_client(hq_analyst), staff_client(manager)
    form = {
        "indicator": Indicator.objects.get(code="coverage-rate").pk, "kind": "weakness", "area": "IR-11",
        "period": "۱۴۰۴-۰۸", "title_fa": "پوشش كم است", "body_fa": "بند يك\r\n\r\nبند دو",
        "evidence": "گزارش | https://example.org/r.pdf",
    }  # fmt: skip

    created = analyst.post(reverse("portal:staff-explanation-new"), form)

    draft = Explanation.objects.get()
    assert (created.status_code, created["Location"]) == (302, f"/staff/portal/explanations/{draft.pk}/")
    assert (draft.title_fa, draft.body_fa, draft.period, draft.area) == (
        "پوشش کم است", "بند یک\n\nبند دو", "1404-08", "IR-11",
    )  # fmt: skip
    assert draft.evidence == [{"title": "گزارش", "url": "https://example.org/r.pdf"}]
    editor = _text(analyst.get(created["Location"]))
    assert 'data-testid="editor"' in editor and "/submit/" in editor and "سیستان و بلوچستان" in editor

    analyst.post(reverse("portal:staff-explanation-submit", args=[draft.pk]))
    own = _text(analyst.get(created["Location"]))
    assert (
        "/approve/" not in own and _fa("You wrote this version, so another reviewer must approve it.") in own
    )
    assert "/approve/" in _text(reviewer.get(created["Location"]))
    reviewer.post(reverse("portal:staff-explanation-approve", args=[draft.pk]), {"note": "تأیید"})
    draft.refresh_from_db()
    assert (draft.state, draft.reviewer, draft.review_note) == (ExplanationState.PUBLISHED, manager, "تأیید")

    published_page = _text(analyst.get(created["Location"]))
    assert _fa("Write version %(v)s") % {"v": "۲"} in published_page
    revised = analyst.post(created["Location"], form | {"body_fa": "متن نسخهٔ دو", "area": "IR-23"})

    v2 = Explanation.objects.get(version=2)
    assert revised["Location"] == f"/staff/portal/explanations/{v2.pk}/"
    assert (v2.thread, v2.area, v2.body_fa, v2.state) == (draft.thread, "IR-11", "متن نسخه دو", "draft")
    history = analyst.get(revised["Location"]).content.decode()
    assert re.findall(r'data-version="(\d+)" data-state="(\w+)"', history) == [
        ("2", "draft"),
        ("1", "published"),
    ]


def test_return_through_the_page_needs_a_note(
    catalog: None, hq_analyst: User, manager: User, staff_client: StaffClient
) -> None:
    draft = _draft(hq_analyst)
    staff_client(hq_analyst).post(reverse("portal:staff-explanation-submit", args=[draft.pk]))
    reviewer = staff_client(manager)
    url = reverse("portal:staff-explanation-return", args=[draft.pk])

    refused = _text(reviewer.post(url, {"note": "  "}, follow=True))
    draft.refresh_from_db()
    assert draft.state == ExplanationState.IN_REVIEW
    assert "بنویسید چه چیزی باید تغییر کند." in refused

    reviewer.post(url, {"note": "منبع را بیاورید"})
    draft.refresh_from_db()
    assert (draft.state, draft.review_note) == (ExplanationState.RETURNED, "منبع را بیاورید")


def test_provincial_officer_is_offered_their_province_only(
    catalog: None, tehran_officer: User, hq_analyst: User, staff_client: StaffClient
) -> None:
    client = staff_client(tehran_officer)
    other = _draft(hq_analyst, area="IR-11")

    page = client.get(reverse("portal:staff-explanation-new"))

    assert list(page.context["form"].fields["area"].choices) == [("IR-23", "تهران")]
    assert client.get(reverse("portal:staff-explanation", args=[other.pk])).status_code == 404
    refused = client.post(
        reverse("portal:staff-explanation-new"),
        {"indicator": other.indicator_id, "kind": "caveat", "area": "IR-11", "title_fa": "ت", "body_fa": "م"},
    )
    assert refused.status_code == 200 and "area" in refused.context["form"].errors
    assert Explanation.objects.count() == 1


def test_senior_manager_reviews_but_is_not_offered_the_editor(
    catalog: None, hq_analyst: User, manager: User, staff_client: StaffClient
) -> None:
    draft = _draft(hq_analyst)
    client = staff_client(manager)

    page = _text(client.get(reverse("portal:staff-explanation", args=[draft.pk])))
    listing = _text(client.get(reverse("portal:staff-explanations")))

    assert 'data-testid="editor"' not in page and "/submit/" not in page
    assert "/staff/portal/explanations/new/" not in listing
    assert client.get(reverse("portal:staff-explanation-new")).status_code == 403
    assert (
        client.post(reverse("portal:staff-explanation", args=[draft.pk]), {"title_fa": "x"}).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.title_fa == "عنوان"


# --- Admin ---------------------------------------------------------------------------------------


def test_national_admin_edits_the_catalogue_with_an_audit_entry(
    catalog: None, hq_admin: User, staff_client: StaffClient
) -> None:
    client = staff_client(hq_admin)
    dataset = Dataset.objects.get(slug="e-services")
    form = {
        "slug": "e-services", "theme": dataset.theme_id, "title_fa": "خدمات غيرحضوري و الکترونیکی",
        "title_en": "Online services", "description_fa": "", "description_en": "", "license_id": "CC-BY-4.0",
        "keywords": "[]",
    }  # fmt: skip

    response = client.post(f"/staff/admin/portal/dataset/{dataset.pk}/change/", form)

    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.title_en == "Online services"
    assert "online services" in dataset.search_text
    entry = AuditEntry.objects.get(object_type="portal.dataset")
    assert (entry.actor_username, entry.action, entry.before, entry.after) == (
        "hq.admin", "update",
        {"title_fa": "خدمات غیرحضوری", "title_en": "Non-in-person services"},
        {"title_fa": "خدمات غیرحضوری و الکترونیکی", "title_en": "Online services"},  # normalized
    )  # fmt: skip


def test_provincial_admin_reads_the_catalogue_but_does_not_change_it(
    catalog: None, tehran_admin: User, staff_client: StaffClient
) -> None:
    client = staff_client(tehran_admin)
    theme = Theme.objects.get(code="coverage")

    assert client.get("/staff/admin/portal/theme/").status_code == 200
    refused = client.post(
        f"/staff/admin/portal/theme/{theme.pk}/change/",
        {"code": "coverage", "name_fa": "پوشش", "name_en": "Coverage", "order": 20},
    )

    assert refused.status_code == 403
    theme.refresh_from_db()
    assert theme.name_en == "Insurance coverage"


def test_explanations_and_releases_are_read_only_in_the_admin(
    catalog: None, hq_admin: User, hq_analyst: User, staff_client: StaffClient
) -> None:
    client = staff_client(hq_admin)
    draft = _draft(hq_analyst)
    release = portal_factories.release(Dataset.objects.get(slug="services"))

    page = client.get(f"/staff/admin/portal/explanation/{draft.pk}/change/")
    refused = client.post(f"/staff/admin/portal/explanation/{draft.pk}/change/", {"title_fa": "دیگر"})

    assert page.status_code == 200 and 'name="title_fa"' not in page.content.decode()
    assert refused.status_code == 403
    assert client.get("/staff/admin/portal/release/add/").status_code == 403
    assert client.get(f"/staff/admin/portal/release/{release.pk}/change/").status_code == 200
    for model in ("observation", "revision", "explanation", "release", "indicator"):
        assert client.get(f"/staff/admin/portal/{model}/").status_code == 200

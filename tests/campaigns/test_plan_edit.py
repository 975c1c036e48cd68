"""Editing a campaign's plan: launch months per province, the suggested balanced hold-out (only
proposed, never saved by itself), and materials (text, image checked by its bytes, video link)."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tabyin.campaigns.plan import services_edit
from tabyin.campaigns.plan.models import Campaign, Material
from tabyin.core.models import AuditEntry, User
from tests import factories
from tests.conftest import verified_client

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PROVINCES = ["ir-23", "ir-10", "ir-01", "ir-02", "ir-03", "ir-04", "ir-05", "ir-06"]


def _roles(campaign: Campaign) -> list[tuple[str, str, date | None]]:
    return [
        (cp.province.iso_code, cp.role, cp.launch_month)
        for cp in campaign.provinces.select_related("province").order_by("province__iso_code")
    ]


def test_launch_months_per_province_are_saved_and_audited(hq_analyst: User, campaign: Campaign) -> None:
    client = verified_client(hq_analyst)
    page = client.get(f"/staff/campaigns/{campaign.pk}/plan/")
    assert page.status_code == 200
    assert page.context["form"].initial["role_IR-23"] == "treated"
    assert page.context["form"].initial["month_IR-23"] == "۱۴۰۵-۰۱"  # the page's digits
    response = client.post(
        f"/staff/campaigns/{campaign.pk}/plan/",
        {"role_IR-23": "treated", "month_IR-23": "1405-01", "role_IR-11": "treated", "month_IR-11": "۱۴۰۵-۰۳",
         "role_IR-10": "held_out", "seed": "1405", "save": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert _roles(campaign) == [
        ("IR-10", "held_out", None),
        ("IR-11", "treated", date(2026, 5, 22)),
        ("IR-23", "treated", date(2026, 3, 21)),
    ]
    entry = AuditEntry.objects.filter(object_type="campaigns.campaign").latest("pk")
    assert entry.after == {"provinces": {"IR-23": "2026-03-21", "IR-11": "2026-05-22", "IR-10": "held_out"}}
    assert entry.before == {"provinces": {"IR-23": "2026-03-21", "IR-10": "held_out"}}


def test_a_launch_month_outside_the_schedule_or_missing_is_refused(
    hq_analyst: User, campaign: Campaign
) -> None:
    client = verified_client(hq_analyst)
    late = client.post(
        f"/staff/campaigns/{campaign.pk}/plan/",
        {"role_IR-23": "treated", "month_IR-23": "1406-01", "seed": "1", "save": ""},
    )
    assert late.status_code == 400
    assert late.context["form"].non_field_errors() == ["ماه آغاز هر استان باید در بازهٔ زمانی کارزار باشد."]
    missing = client.post(
        f"/staff/campaigns/{campaign.pk}/plan/", {"role_IR-23": "treated", "month_IR-23": "", "seed": "1"}
    )
    assert missing.status_code == 400
    assert list(missing.context["form"].errors) == ["month_IR-23"]
    assert _roles(campaign) == [("IR-10", "held_out", None), ("IR-23", "treated", date(2026, 3, 21))]


def test_the_suggested_split_is_balanced_seeded_and_only_proposed(
    hq_analyst: User, campaign: Campaign
) -> None:
    units = [factories.unit(code) for code in PROVINCES]
    first = services_edit.holdout_suggest(actor=hq_analyst, campaign=campaign, units=units, count=3, seed=7)
    again = services_edit.holdout_suggest(actor=hq_analyst, campaign=campaign, units=units, count=3, seed=7)
    assert [u.iso_code for u in first.held_out] == [u.iso_code for u in again.held_out]
    assert len(first.held_out) == 3
    assert first.with_trend is False  # no outcome before the start
    assert first.balance < 0.1
    data = {f"role_{u.iso_code}": "treated" for u in units} | {"count": "3", "seed": "7", "suggest": ""}
    response = verified_client(hq_analyst).post(f"/staff/campaigns/{campaign.pk}/plan/", data)
    assert response.status_code == 200
    form = response.context["form"]
    proposed = sorted(u.iso_code for u in units if form.data[f"role_{u.iso_code}"] == "held_out")
    assert proposed == [u.iso_code for u in first.held_out]
    # The others run the campaign from its first month unless a month was given.
    assert {form.data[f"month_{u.iso_code}"] for u in units if u.iso_code not in proposed} == {"۱۴۰۵-۰۱"}
    assert 'data-testid="suggestion"' in response.content.decode()
    # Nothing saved by the suggestion.
    assert _roles(campaign) == [("IR-10", "held_out", None), ("IR-23", "treated", date(2026, 3, 21))]


def test_the_suggestion_uses_the_past_trend_when_every_province_has_months(
    hq_analyst: User, campaign: Campaign
) -> None:
    from tabyin.campaigns.plan import services

    services.outcome_import(
        actor=hq_analyst,
        campaign=campaign,
        text="IR-23,1404-11,10\nIR-23,1404-12,20\nIR-10,1404-11,5\nIR-10,1404-12,5",
    )
    units = [factories.unit("ir-23"), factories.unit("ir-10")]
    found = services_edit.holdout_suggest(actor=hq_analyst, campaign=campaign, units=units, count=1, seed=1)
    assert found.with_trend is True
    assert len(found.held_out) == 1


def test_materials_text_image_and_video_are_added_edited_and_removed(
    hq_analyst: User, campaign: Campaign
) -> None:
    client = verified_client(hq_analyst)
    url = f"/staff/campaigns/{campaign.pk}/materials/"
    assert (
        client.post(url, {"kind": "text", "title": "متن پایه", "body": "بیمهٔ اختیاری برای همه"}).status_code
        == 302
    )
    image = SimpleUploadedFile("poster.png", PNG, content_type="image/png")
    assert client.post(url, {"kind": "image", "title": "پوستر", "image": image}).status_code == 302
    video = {"kind": "video", "title": "ویدئو", "url": "https://www.aparat.com/v/abc"}
    assert client.post(url, video).status_code == 302
    found = list(Material.objects.filter(campaign=campaign).order_by("pk"))
    assert [(m.kind, m.title, m.body, m.url, m.image_type) for m in found] == [
        ("text", "متن پایه", "بیمهٔ اختیاری برای همه", "", ""),
        ("image", "پوستر", "", "", "image/png"),
        ("video", "ویدئو", "", "https://www.aparat.com/v/abc", ""),
    ]
    served = client.get(f"/staff/campaigns/materials/{found[1].pk}/image/")
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert b"".join(served.streaming_content) == PNG  # type: ignore[attr-defined]
    text = found[0]
    edit = {f"m{text.pk}-title": "متن تازه", f"m{text.pk}-body": "متن دوم", "save": ""}
    assert client.post(f"{url}{text.pk}/", edit).status_code == 302
    text.refresh_from_db()
    assert (text.title, text.body) == ("متن تازه", "متن دوم")
    assert client.post(f"{url}{found[2].pk}/", {"remove": ""}).status_code == 302
    assert Material.objects.filter(campaign=campaign).count() == 2
    actions = list(
        AuditEntry.objects.filter(object_type="campaigns.material")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "create", "create", "update", "delete"]
    page = client.get(f"/staff/campaigns/{campaign.pk}/").content.decode()
    assert "متن تازه" in page and "پوستر" in page


def test_an_image_is_judged_by_its_bytes_not_its_name(hq_analyst: User, campaign: Campaign) -> None:
    fake = SimpleUploadedFile("poster.png", b"MZ\x90\x00 not a picture" * 10, content_type="image/png")
    response = verified_client(hq_analyst).post(
        f"/staff/campaigns/{campaign.pk}/materials/", {"kind": "image", "title": "پوستر", "image": fake}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["image"]
    assert Material.objects.count() == 0


def test_a_provincial_officer_cannot_edit_the_plan(tehran_officer: User, campaign: Campaign) -> None:
    client = verified_client(tehran_officer)
    assert client.get(f"/staff/campaigns/{campaign.pk}/plan/").status_code == 403
    assert client.get(f"/staff/campaigns/{campaign.pk}/materials/").status_code == 403


pytestmark = pytest.mark.django_db

"""Campaign planning, the outcome import and the managers' campaign page with its estimated effect."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tabyin.campaigns.enums import Segment
from tabyin.campaigns.impact import services as impact
from tabyin.campaigns.plan import selectors, services
from tabyin.campaigns.plan.models import Campaign
from tabyin.campaigns.plan.simulate import jalali_months, simulate
from tabyin.core.models import User
from tabyin.core.registry import registry
from tests import factories
from tests.conftest import verified_client


def test_a_province_cannot_run_and_be_held_out(hq_analyst: User) -> None:
    tehran = factories.unit("ir-23")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.campaign_create(
            actor=hq_analyst,
            title="t",
            aim="a",
            segments=[Segment.STUDENTS],
            starts_on=date(2026, 3, 21),
            ends_on=date(2026, 3, 20),
            outcome_name="o",
            treated={tehran: date(2026, 3, 21)},
            held_out=[tehran],
            key_messages=[],
        )
    assert refused.value.message_dict == {
        "ends_on": ["The campaign cannot end before it starts."],
        "held_out": ["A province cannot both run the campaign and be held out."],
    }


def test_a_provincial_officer_cannot_plan_nor_see(tehran_officer: User, campaign: Campaign) -> None:
    with pytest.raises(PermissionDenied):
        services.outcome_import(actor=tehran_officer, campaign=campaign, text="IR-23,1405-01,5")
    assert list(selectors.campaigns_for(user=tehran_officer)) == []
    assert verified_client(tehran_officer).get(f"/staff/campaigns/{campaign.pk}/").status_code == 404


def test_outcome_import_names_every_bad_line_and_keeps_nothing(hq_analyst: User, campaign: Campaign) -> None:
    text = (
        "province,month,value\nIR-23,1405-01,120\nIR-99,1405-01,5\nIR-10,1405-13,5\n"
        "IR-10,۱۴۰۵-۰۲,abc\nIR-10,1405-01"
    )
    with pytest.raises(ValidationError) as refused:
        services.outcome_import(actor=hq_analyst, campaign=campaign, text=text)
    assert refused.value.message_dict["rows"][0] == "سطر 3: این استان از استان‌های این کارزار نیست."
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.outcome_import(actor=hq_analyst, campaign=campaign, text=text)
    assert refused.value.message_dict == {
        "rows": [
            "Line 3: the province is not one of this campaign's.",
            "Line 4: the month must be a Jalali month such as 1403-11.",
            "Line 5: the value is not a number.",
            "Line 6: three values are needed (province, month, value).",
        ]
    }
    assert campaign.outcome.count() == 0


def test_outcome_import_takes_persian_digits_and_replaces_a_month(
    hq_analyst: User, campaign: Campaign
) -> None:
    assert (
        services.outcome_import(
            actor=hq_analyst, campaign=campaign, text="IR-23,۱۴۰۵-۰۱,۱۲۰\nIR-10,1405-01,80"
        )
        == 2
    )
    assert services.outcome_import(actor=hq_analyst, campaign=campaign, text="IR-23,1405-01,125.5") == 1
    panel = selectors.outcome_panel(campaign=campaign)
    assert panel.rows == [("IR-10", date(2026, 3, 21), 80.0), ("IR-23", date(2026, 3, 21), 125.5)]
    assert panel.treated == {"IR-23": date(2026, 3, 21)}
    assert panel.held_out == ["IR-10"]


def test_key_messages_are_offered_through_the_registry(campaign: Campaign) -> None:
    [offered] = [k for k in registry.key_messages_all() if k.key.startswith("campaigns:")]
    assert (offered.text, offered.context) == ("بیمهٔ اختیاری برای دانشجویان هم هست.", "بیمهٔ اختیاری")


def _simulated_campaign(analyst: User) -> Campaign:
    treated = {"IR-23": 12, "IR-10": 12, "IR-14": 14, "IR-03": 14}
    held_out = ["IR-11", "IR-05", "IR-02", "IR-17", "IR-16", "IR-00"]
    units = {iso: factories.unit(f"ir-{iso[3:]}") for iso in [*treated, *held_out]}
    months = jalali_months(1403, 7, 24)
    panel = simulate(
        populations=dict.fromkeys(units, 1000000),
        treated_launch=treated,
        held_out=held_out,
        months=months,
        effect=40.0,
        seed=7,
    )
    campaign = services.campaign_create(
        actor=analyst,
        title="کارزار",
        aim="هدف",
        segments=[Segment.HOUSEWIVES],
        starts_on=months[12],
        ends_on=months[-1],
        outcome_name="ثبت‌نام",
        treated={units[iso]: panel.treated[iso] for iso in treated},
        held_out=[units[iso] for iso in held_out],
        key_messages=[],
    )
    services.outcome_load(campaign=campaign, rows=[(units[iso], m, v) for iso, m, v in panel.rows])
    return campaign


def test_the_effect_is_estimated_and_shown_with_its_interval(hq_analyst: User, manager: User) -> None:
    campaign = _simulated_campaign(hq_analyst)
    stored = impact.effect_refresh(campaign_id=campaign.pk)
    assert stored is not None
    assert stored.error == ""
    staggered = stored.result["methods"]["staggered"]
    assert staggered["available"] is True
    assert staggered["ci_low"] < 40.0 < staggered["ci_high"]
    # The same outcome series is not estimated twice.
    assert impact.effect_refresh(campaign_id=campaign.pk).computed_at == stored.computed_at  # type: ignore[union-attr]
    page = verified_client(manager).get(f"/staff/campaigns/{campaign.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-method="staggered"' in html
    assert 'id="effect-chart-title"' in html
    assert 'id="outcome-chart-title"' in html


def test_the_page_says_when_no_estimate_can_be_made(
    hq_analyst: User, manager: User, campaign: Campaign
) -> None:
    services.outcome_import(actor=hq_analyst, campaign=campaign, text="IR-23,1405-01,120\nIR-10,1405-01,80")
    stored = impact.effect_refresh(campaign_id=campaign.pk)
    assert stored is not None
    assert stored.result == {}
    assert stored.error != ""
    page: Any = verified_client(manager).get(f"/staff/campaigns/{campaign.pk}/")
    assert stored.error in page.content.decode()


def test_the_forms_create_a_campaign_and_a_message_with_previews(hq_analyst: User) -> None:
    client = verified_client(hq_analyst)
    tehran, isfahan = factories.unit("ir-23"), factories.unit("ir-10")
    answer = client.post(
        "/staff/campaigns/",
        {
            "title": "کارزار آزمایشی",
            "aim": "هدف",
            "segments": ["students"],
            "start_month": "۱۴۰۵-۰۱",
            "end_month": "1405-06",
            "outcome_name": "ثبت‌نام",
            "provinces": [tehran.pk],
            "held_out": [isfahan.pk],
            "key_messages": "یک\n\nدو",
        },
    )
    campaign = Campaign.objects.get(title="کارزار آزمایشی")
    assert answer.status_code == 302
    assert (campaign.starts_on, campaign.ends_on) == (date(2026, 3, 21), date(2026, 9, 22))
    assert list(campaign.key_messages.values_list("text", flat=True)) == ["یک", "دو"]
    form = {"title": "عنوان", "body": "متن", "channels": ["telegram", "sms"], "send_at": ""}
    preview = client.post(f"/staff/campaigns/{campaign.pk}/messages/new/", {**form, "preview": "1"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'data-channel="telegram"' in html
    assert "&lt;b&gt;عنوان&lt;/b&gt;" in html  # the HTML Telegram receives, shown as text
    assert campaign.messages.count() == 0
    saved = client.post(f"/staff/campaigns/{campaign.pk}/messages/new/", {**form, "save": "1"})
    message = campaign.messages.get()
    assert saved["Location"] == f"/staff/campaigns/messages/{message.pk}/"
    assert (message.channels, message.state) == (["telegram", "sms"], "draft")

from __future__ import annotations

import re
from datetime import date

import pytest

from tabyin.campaigns.effects.estimate import estimate
from tabyin.campaigns.effects.panel import PanelError
from tabyin.campaigns.effects.report import EffectReport
from tabyin.campaigns.effects.sentences import persian_number
from tabyin.campaigns.effects.validation import single_launch, staggered_launch

LATIN_DIGIT = re.compile(r"[0-9]")


@pytest.fixture(scope="module")
def demo_report() -> EffectReport:
    """The demo's design: 8 campaign provinces, 6 held out, 24 months, true effect 10."""
    return estimate(*single_launch(0), seed=0)


def _rounded(report: EffectReport, method: str) -> tuple[float, float, float]:
    fit = report.get(method).fit  # type: ignore[arg-type]
    assert fit is not None
    return round(fit.estimate, 2), round(fit.ci_low, 2), round(fit.ci_high, 2)


def test_every_method_estimates_the_demo_campaign(demo_report: EffectReport) -> None:
    assert _rounded(demo_report, "its") == (8.64, 5.96, 11.32)
    assert _rounded(demo_report, "did") == (8.32, 5.21, 11.43)
    assert _rounded(demo_report, "staggered") == (12.32, 7.29, 17.36)
    assert _rounded(demo_report, "synth") == (8.53, 5.56, 11.5)
    for method in ("its", "did", "staggered", "synth"):
        result = demo_report.get(method)  # type: ignore[arg-type]
        assert result.available
        assert result.ci_low is not None and result.ci_high is not None
        assert result.ci_low <= 10.0 <= result.ci_high
        assert not LATIN_DIGIT.search(result.sentence_fa)
    assert demo_report.treated == tuple(f"IR-0{k}" for k in range(8))
    assert demo_report.held_out == ("IR-08", "IR-09", "IR-10", "IR-11", "IR-12", "IR-13")
    assert not demo_report.staggered_launch


def test_placebos_of_the_demo_campaign(demo_report: EffectReport) -> None:
    did = demo_report.did
    assert [(p.kind, p.detail, p.passed) for p in did.placebos] == [
        ("date", "2024-11-01", True),
        ("space", "IR-11، IR-12، IR-13", True),
    ]
    # With three fake campaign provinces against three, Callaway–Sant'Anna's interval is too narrow
    # here and the placebo flags it: the sentence then tells the reader not to conclude anything.
    staggered = demo_report.staggered
    assert [(p.kind, p.passed) for p in staggered.placebos] == [("date", True), ("space", False)]
    assert "قابل اعتماد نیست" in staggered.sentence_fa
    assert "۱۲٫۳" in staggered.sentence_fa
    assert did.sentence_fa.startswith(
        "به روش تفاضل در تفاضل، میانگین اثر کارزار در هر استان و هر ماه پس از شروع ۸٫۳ برآورد شد "
        "(بازهٔ اطمینان ۹۵٪: از ۵٫۲ تا ۱۱٫۴). بازه صفر را در بر نمی‌گیرد"
    )


def test_without_held_out_provinces_only_its_and_synth_run() -> None:
    panel, treated, _ = single_launch(0)
    report = estimate(panel, treated, [], seed=0)
    assert report.its.available and report.synth.available
    assert not report.did.available and not report.staggered.available
    assert report.did.reason.startswith("هیچ استانی کنار گذاشته نشده است")
    assert report.did.fit is None and report.did.estimate is None


def test_no_effect_no_claim() -> None:
    report = estimate(*single_launch(3, effect=0.0), seed=0)
    for method in ("its", "did", "synth"):
        result = report.get(method)  # type: ignore[arg-type]
        assert result.fit is not None and result.fit.covers_zero
        assert "نمی‌توان گفت" in result.sentence_fa


def test_staggered_launch_says_the_regression_may_be_biased() -> None:
    report = estimate(*staggered_launch(0), seed=0)
    assert report.staggered_launch
    assert "سوگیری" in report.did.sentence_fa
    assert report.staggered.available


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p, t, h: (p.drop(columns=["outcome"]), t, h), "ستون‌ها را ندارد"),
        (lambda p, t, h: (p.iloc[1:], t, h), "کامل نیست"),
        (lambda p, t, h: (p, {**t, "IR-99": date(2025, 3, 1)}, h), "IR-99"),
        (lambda p, t, h: (p, dict.fromkeys(t, date(2024, 3, 1)), h), "دست‌کم ۶ ماه"),
        (lambda p, t, h: (p, t, [*h, "IR-00"]), "هم در کارزار"),
        (lambda p, t, h: (p, {}, h), "هیچ استانی"),
        (lambda p, t, h: (p.assign(outcome=float("nan")), t, h), "خانهٔ خالی"),
        (lambda p, t, h: (p.assign(month=date(2024, 1, 15)), t, h), "روز اول"),
    ],
)
def test_bad_input_is_refused_in_persian(change: object, message: str) -> None:
    panel, treated, held_out = single_launch(0)
    original = panel.copy()
    with pytest.raises(PanelError, match=message):
        estimate(*change(panel, treated, held_out), seed=0)  # type: ignore[operator]
    assert panel.equals(original)  # nothing changed in place


def test_persian_numbers() -> None:
    assert persian_number(-1234.56) == "−۱٬۲۳۴٫۶"
    assert persian_number(-0.04) == "۰٫۰"
    assert persian_number(7, places=0) == "۷"


def test_its_gives_each_province_its_own_step(demo_report: EffectReport) -> None:
    fit = demo_report.its.fit
    assert fit is not None
    assert sorted(fit.by_province) == list(demo_report.treated)
    assert tuple(round(v, 2) for v in fit.by_province["IR-00"]) == (9.17, 2.62, 15.73)
    # Each province alone is far less precise than the pooled step.
    widths = [high - low for _, low, high in fit.by_province.values()]
    assert min(widths) > fit.ci_high - fit.ci_low


def test_every_province_in_the_campaign_leaves_only_its() -> None:
    panel, treated, _ = single_launch(0, treated=8, comparison=0)
    report = estimate(panel, treated, [], seed=0)
    assert report.its.available
    assert [p.kind for p in report.its.placebos] == ["date"]  # no province left for a space placebo
    assert not report.synth.available
    assert report.synth.reason == "کمتر از ۴ استان بی‌کارزار برای ساختن استان مقایسه هست."

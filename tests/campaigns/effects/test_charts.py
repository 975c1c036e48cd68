from __future__ import annotations

import re

from tabyin.campaigns.effects.charts import observed_vs_counterfactual_svg
from tabyin.campaigns.effects.estimate import estimate
from tabyin.campaigns.effects.validation import single_launch


def test_observed_against_counterfactual_in_persian_and_english() -> None:
    panel, treated, _ = single_launch(0)
    report = estimate(panel, treated, [], seed=0)
    chart = observed_vs_counterfactual_svg(report, "its")
    assert chart.startswith('<svg class="chart effect-chart" viewBox="0 0 480 290" role="img"')
    assert '<title id="effect-its-title">سری زمانی منقطع: مشاهده‌شده / برآورد بی‌کارزار</title>' in chart
    assert '<desc id="effect-its-desc">دی ۱۴۰۲ – آذر ۱۴۰۴. به روش سری زمانی منقطع' in chart
    assert chart.count("<polyline") == 2 and 'stroke-dasharray="6 4"' in chart
    assert ">شروع کارزار</text>" in chart
    texts = re.findall(r">([^<]+)</text>", chart)
    assert texts and not any(re.search(r"[0-9]", text) for text in texts)
    english = observed_vs_counterfactual_svg(report, "synth", language="en", chart_id="c1")
    assert '<title id="c1-title">synth: Observed / Estimated without the campaign</title>' in english
    assert ">Launch</text>" in english
    assert observed_vs_counterfactual_svg(report, "did") == ""

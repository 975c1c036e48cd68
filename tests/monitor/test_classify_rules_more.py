"""The default sentiment rules added for issue 13 point 3: wider negation scope («وجود ندارد»), the
third-person ending «ندارد», a balanced concession read as mixed, the writer's summing-up, questions,
hedges, phrases written with a ZWNJ or a space, and intensifiers that are praise on their own. A case
with a comment read otherwise before (the old reading is in the comment); the others pin what must
not change."""

from __future__ import annotations

import pytest

from tabyin.monitor.pipeline import sentiment_rules
from tabyin.monitor.pipeline.classify import Classifier


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # A denied existence reaches back over its clause (the module page's old limit)
        ("مشکلی در پرداخت‌ها وجود ندارد", "neutral"),  # was negative
        ("مشکل در پرداخت‌ها وجود دارد", "negative"),
        ("مشکلی در پرداخت‌ها وجود ندارد ولی صف‌ها خیلی طولانی است", "negative"),
        # «ندارد» negates like «نداره» and «نداشت»
        ("این سامانه مشکلی ندارد", "neutral"),  # was negative
        # Balanced praise and complaint joined by «ولی», «اما», «هرچند»: mixed
        ("بسته‌بندی خوب بود ولی مزه نداشت", "neutral"),  # was negative
        ("هرچند گران است، کیفیتش خوب است", "neutral"),
        ("بسته‌بندی خوب بود ولی طعمش واقعاً افتضاح و غیرقابل خوردن بود", "negative"),
        # The writer's summing-up settles it
        ("طعمش خوبه ولی رنگش خوب نیست، در کل خوبه", "positive"),  # was neutral
        ("بازی بازیگر اول عالی بود و بازیگر دوم ضعیف. در مجموع فیلم خوبی بود", "positive"),
        # A question asks for good news, it does not bring it; a rhetorical complaint stays
        ("آیا مستمری فروردین زودتر واریز می‌شود؟", "neutral"),  # was positive
        ("چرا هیچ‌کس به مشکل بیمه‌شدگان رسیدگی نمی‌کند؟", "negative"),
        ("خوبه یا نه؟", "neutral"),  # was negative («نه» of «یا نه» negated «خوب»)
        # Hedges
        ("در مورد کیفیتش مطمئن نیستم", "neutral"),  # was negative
        ("فکر کنم خوب باشه", "neutral"),  # was positive
        # A phrase written with a ZWNJ or a space; an intensifier that is praise on its own
        ("فوق‌العاده است", "positive"),  # was neutral
        ("فوق العاده اس", "positive"),  # was neutral
        ("فوق العاده بد بود", "negative"),
        ("دوست‌داشتنی بود", "positive"),  # was neutral
        # A demand names what is missing
        ("بازنشستگان تجمع کردند و خواستار همسان‌سازی شدند", "negative"),
    ],
)
def test_default_reads_more_of_the_language(text: str, label: str) -> None:
    assert Classifier.default().predict(text)[0] == label


def test_mixed_reading_is_weighed_before_the_contrast_weighting() -> None:
    reading = sentiment_rules.read("بسته‌بندی خوب بود ولی مزه نداشت")
    # «خوب» 1.0 before «ولی» (×0.7), «مزه نداشت» −1.0 after it (×1.5).
    assert reading == sentiment_rules.Reading(weights=[0.7, -1.5], raw=[1.0, -1.0], conceded=True)
    # Praise 1.0, complaint 1.2 (NEGATIVITY): both ≥ 0.7 and 1.0 ≥ 0.5 × 1.2, so mixed.
    assert sentiment_rules.predict("بسته‌بندی خوب بود ولی مزه نداشت") == ("neutral", -0.5005)
    # The existential negation: «مشکل» negated is half as much praise.
    assert sentiment_rules.evidence("مشکلی در پرداخت‌ها وجود ندارد") == [0.5]

"""Sentiment (seed lexicon, trained naive Bayes, retraining from corrections) and rumor cues.

The ParsiNLU and stance files are non-commercial: they are read here, in tests, and never copied
into the package. Measured figures (printed with -s) are in the monitor module doc.
"""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tabyin.core.models import User
from tabyin.monitor.ingest import services_classifier
from tabyin.monitor.ingest.selectors import classifier_current
from tabyin.monitor.models import ClassifierModel
from tabyin.monitor.pipeline.classify import Classifier, rumor_cues, rumor_signal, train
from tests.monitor import builders, sentiment_sets

STANCE = sentiment_sets.DATA / "persian_stance" / "headline_claim.jsonl"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("حقوق بازنشستگان این ماه هم پرداخت نشد", "negative"),
        ("مستمری‌ها با تاخیر سه‌ماهه واریز می‌شود و بازنشستگان معترض‌اند", "negative"),
        ("گزارش اختلاس در یکی از شرکت‌های تابعه منتشر شد", "negative"),
        ("شکایت بیمه‌شدگان از صف طولانی داروخانه", "negative"),
        ("افزایش مستمری بازنشستگان تصویب شد", "positive"),
        ("متناسب‌سازی حقوق بازنشستگان اجرا شد؛ از همکاران تشکر می‌کنیم", "positive"),
        ("نسخه الکترونیک بدون تاخیر در همه داروخانه‌ها پذیرفته می‌شود", "positive"),
        ("جلسه هیئت مدیره سازمان روز شنبه برگزار می‌شود", "neutral"),
        ("در پرداخت‌ها مشکلی وجود ندارد", "positive"),
    ],
)
def test_default_lexicon(text: str, label: str) -> None:
    assert Classifier.default().predict(text)[0] == label


def test_default_scores_are_signed_and_bounded() -> None:
    label, score = Classifier.default().predict("فساد و اختلاس و رشوه")
    assert label == "negative"
    assert -1.0 <= score <= -0.9
    assert Classifier.default().predict("") == ("neutral", 0.0)


def test_trained_model_learns_neutral_on_parsinlu_group_split() -> None:
    """Trained on the train part («mixed» reviews as neutral), scored on the held-out part. With
    the empirical priors and unbalanced counts of before, neutral was almost never answered."""
    train_rows, test_rows = sentiment_sets.parsinlu("train"), sentiment_sets.parsinlu("heldout")
    assert (len(train_rows), len(test_rows)) == (1179, 396)
    trained = train(train_rows)
    predicted = [trained.predict(text)[0] for text, _ in test_rows]
    figures = sentiment_sets.report(predicted, [y for _, y in test_rows])
    print({k: tuple(round(x, 3) for x in v) for k, v in figures.items()})
    assert predicted.count("neutral") >= 60  # measured 69 (43 reviews are neutral or mixed)
    # measured 0.268 and 0.636 since issue 13 point 3's second round of rules (whose labels are
    # pseudo-words of the model); 0.306 and 0.652 before
    assert figures["neutral"][2] >= 0.25
    assert figures["macro"][2] >= 0.62
    again = Classifier.from_payload(json.loads(json.dumps(trained.to_payload())))
    assert [again.predict(t) for t, _ in test_rows[:50]] == [trained.predict(t) for t, _ in test_rows[:50]]


def test_trained_margin_orders_by_the_gap_between_the_two_best_labels() -> None:
    trained = train(
        [("خیلی خوب بود", "positive"), ("خیلی بد بود", "negative"), ("معمولی بود", "neutral")] * 3
    )
    sure, unsure = trained.margin("خیلی خوب بود"), trained.margin("خوب بود ولی بد")
    assert 0 <= unsure < sure < 1


def test_rumor_cues() -> None:
    assert rumor_cues("آیا این خبر که مستمری‌ها قطع می‌شود صحت دارد؟") == ["question"]
    assert rumor_cues("گفته می‌شود حقوق بازنشستگان نصف می‌شود") == ["hearsay"]
    assert rumor_cues("فوری: این پیام را برای همه بفرستید، باور نکنید که تکذیب شده") == []
    assert rumor_cues("فوری! همه پخش کنید، بیمه بیکاری قطع شد") == ["urge"]
    assert rumor_cues("دفترچه‌های بیمه از فردا باطل می‌شود!") == ["exclamation"]
    assert rumor_cues("شایعه قطع مستمری صحت ندارد") == []
    assert not rumor_signal("سازمان تأمین اجتماعی گزارش عملکرد سال را منتشر کرد")


def test_rumor_signal_on_stance_claims_versus_headlines() -> None:
    suffix = re.compile(r"/\s*شایعه\s*[0-9۰-۹]+\s*$")  # the rumor site's numbering gives it away
    rows = [json.loads(line) for line in STANCE.read_text(encoding="utf-8").splitlines()]
    claims = {suffix.sub("", r["claim"]).strip() for r in rows}
    headlines = {suffix.sub("", r["headline"]).strip() for r in rows} - claims
    flagged_claims = sum(rumor_signal(c) for c in claims)
    flagged_headlines = sum(rumor_signal(h) for h in headlines)
    precision = flagged_claims / (flagged_claims + flagged_headlines)
    recall = flagged_claims / len(claims)
    print(
        f"rumor_signal: precision {precision:.3f}, recall {recall:.3f} "
        f"({len(claims)} claims, {len(headlines)} headlines)"
    )
    assert precision >= 0.70  # measured 0.732
    assert recall >= 0.80  # measured 0.824


@pytest.mark.django_db
def test_retraining_from_corrections_changes_a_prediction(org: None, hq_analyst: User) -> None:
    text = "بازنشستگان امروز مقابل ساختمان سازمان ایستادند"
    assert classifier_current().predict(text)[0] == "neutral"
    source, story = builders.source("c1"), builders.story()
    examples = [
        ("بازنشستگان مقابل ساختمان سازمان ایستادند و فریاد زدند", "negative"),
        ("بازنشستگان امروز مقابل مجلس ایستادند", "negative"),
        ("گزارش عملکرد سازمان منتشر شد", "neutral"),
        ("مراسم تقدیر از همکاران برگزار شد", "positive"),
    ]
    for i, (words, label) in enumerate(examples):
        post = builders.post(source, story, builders.NOW, post_id=str(i), text=words)
        services_classifier.correction_record(actor=hq_analyst, post=post, sentiment=label)
    story.refresh_from_db()  # the story's tallies follow the corrected labels
    assert (story.negative_count, story.positive_count, story.sentiment) == (2, 1, "negative")
    model = services_classifier.classifier_retrain_from_corrections()
    assert (model.corrections, model.is_active) == (4, True)
    assert classifier_current().predict(text)[0] == "negative"
    assert classifier_current() is classifier_current()


@pytest.mark.django_db
def test_monitor_train_command_stores_an_active_model(tmp_path: Path) -> None:
    file = tmp_path / "mine.jsonl"
    lines = [
        {"text": "خدمات عالی بود ممنون", "label": "positive"},
        {"text": "خیلی بد و کند بود", "label": "negative"},
    ]
    file.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in lines * 3), encoding="utf-8")
    old = ClassifierModel.objects.create(trained_at=builders.NOW, payload={}, is_active=True)
    call_command("monitor_train", jsonl=str(file))
    model = ClassifierModel.objects.get(is_active=True)
    old.refresh_from_db()
    assert (model.samples, model.note, old.is_active) == (6, "trained on mine.jsonl", False)
    assert classifier_current().predict("خیلی بد بود")[0] == "negative"


@pytest.mark.django_db
def test_monitor_train_reads_parsinlu_mixed_as_neutral_unless_told(tmp_path: Path) -> None:
    file = tmp_path / "reviews.jsonl"
    rows = [
        {"review": "عالی بود", "polarity3": "positive"},
        {"review": "بد بود", "polarity3": "negative"},
        {"review": "خوب بود ولی گران", "polarity3": "mixed"},
    ]
    file.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    out = StringIO()
    call_command("monitor_train", parsinlu=str(file), stdout=out)
    assert '{"negative": 1, "neutral": 1, "positive": 1}' in out.getvalue()
    assert classifier_current().labels == ["negative", "neutral", "positive"]
    out = StringIO()
    call_command("monitor_train", parsinlu=str(file), mixed="skip", stdout=out)
    assert '{"negative": 1, "positive": 1}' in out.getvalue()

"""Sentiment (seed lexicon, trained naive Bayes, retraining from corrections) and rumor cues.

The ParsiNLU and stance files are non-commercial: they are read here, in tests, and never copied
into the package. Measured figures (printed with -s) are in the monitor module doc.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tabyin.core.models import User
from tabyin.monitor import services_classifier
from tabyin.monitor.models import ClassifierModel
from tabyin.monitor.pipeline.classify import Classifier, rumor_cues, rumor_signal, tokens, train
from tests.monitor import builders

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "persian"
PARSINLU = DATA / "parsinlu_sentiment" / "reviews.jsonl"
STANCE = DATA / "persian_stance" / "headline_claim.jsonl"


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


def test_tokens_join_zwnj_and_detached_verb_prefixes() -> None:
    assert tokens("نمی‌شود") == tokens("نمیشود") == tokens("نمی شود") == ["نمیشود"]
    assert tokens("تأمين اجتماعي") == ["تامین", "اجتماعی"]


def _split() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    rows = [json.loads(line) for line in PARSINLU.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["polarity3"] in ("negative", "positive")]

    def held_out(group: str) -> bool:  # 20 % of the groups, deterministic
        return int(hashlib.sha1(group.encode(), usedforsecurity=False).hexdigest(), 16) % 5 == 0

    train_rows = [(r["review"], r["polarity3"]) for r in rows if not held_out(r["group_id"])]
    test_rows = [(r["review"], r["polarity3"]) for r in rows if held_out(r["group_id"])]
    return train_rows, test_rows


def accuracy_and_macro_f1(classifier: Classifier, rows: list[tuple[str, str]]) -> tuple[float, float]:
    predicted = [classifier.predict(text)[0] for text, _ in rows]
    correct = sum(p == y for p, (_, y) in zip(predicted, rows, strict=True))
    f1 = []
    for label in ("negative", "positive"):
        tp = sum(p == label == y for p, (_, y) in zip(predicted, rows, strict=True))
        fp = sum(p == label != y for p, (_, y) in zip(predicted, rows, strict=True))
        fn = sum(y == label != p for p, (_, y) in zip(predicted, rows, strict=True))
        f1.append(2 * tp / (2 * tp + fp + fn))
    return correct / len(rows), sum(f1) / len(f1)


def test_trained_model_on_parsinlu_group_split() -> None:
    train_rows, test_rows = _split()
    assert (len(train_rows), len(test_rows)) == (1370, 341)
    trained = train(train_rows)
    accuracy, macro_f1 = accuracy_and_macro_f1(trained, test_rows)
    baseline, _ = accuracy_and_macro_f1(Classifier.default(), test_rows)
    print(f"parsinlu test: accuracy {accuracy:.3f}, macro-F1 {macro_f1:.3f}; lexicon only {baseline:.3f}")
    assert accuracy >= 0.80  # measured 0.833 (macro-F1 0.859); neutral answers count as wrong
    assert macro_f1 >= 0.82
    assert accuracy > baseline + 0.3
    again = Classifier.from_payload(json.loads(json.dumps(trained.to_payload())))
    assert [again.predict(t) for t, _ in test_rows[:50]] == [trained.predict(t) for t, _ in test_rows[:50]]


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
    assert services_classifier.classifier_current().predict(text)[0] == "neutral"
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
    assert services_classifier.classifier_current().predict(text)[0] == "negative"
    assert services_classifier.classifier_current() is services_classifier.classifier_current()


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
    assert services_classifier.classifier_current().predict("خیلی بد بود")[0] == "negative"

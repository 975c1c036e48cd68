"""`tabyin classify sentiment|stance` run for real: the site's model, order, bad lines, stdin."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tabyin.monitor.pipeline.classify import Classifier, train
from tabyin.monitor.pipeline.stance import classify
from tests.cli_helpers import TABYIN, clean_env, run

pytestmark = [pytest.mark.cli, pytest.mark.timeout(300)]

TEXTS = [
    "کارکنان از پرداخت به موقع حقوق بسیار راضی و خوشحال هستند",
    "صف طولانی و رفتار بد کارمندان باعث اعتراض مردم شد",
    "جلسه شورای اداری فردا ساعت ده برگزار می‌شود",
    "سامانه جدید نوبت‌دهی زرشکی راه‌اندازی شد",
]
CLAIM = "تاخیر در پرداخت حقوق کارکنان سازمان تامین اجتماعی در ماه جاری"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _sentiment_lines() -> list[str]:
    return [json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in enumerate(TEXTS)]


def _out(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_sentiment_on_a_fresh_data_directory_uses_the_shipped_default(tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", _sentiment_lines())
    result = run("classify", "sentiment", str(source), TABYIN_DATA_DIR=str(tmp_path / "fresh"))
    assert (result.returncode, result.stderr) == (0, "")
    default = Classifier.default()
    assert _out(result.stdout) == [
        {"id": i, "label": label, "score": score}
        for i, (label, score) in enumerate(default.predict_many(TEXTS))
    ]


def test_sentiment_uses_the_model_the_site_uses(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run("manage", "migrate", "--verbosity", "0", TABYIN_DATA_DIR=str(data)).returncode == 0
    # A made-up word the default lexicon does not know: only the trained model calls it positive.
    samples = [(f"سامانه زرشکی {n} عالی", "positive") for n in range(6)]
    samples += [(f"جلسه اداری {n}", "neutral") for n in range(6)] + [
        (f"صف بد {n}", "negative") for n in range(6)
    ]
    training = _write(
        tmp_path / "train.jsonl",
        [json.dumps({"text": t, "label": label}, ensure_ascii=False) for t, label in samples],
    )
    trained = run("manage", "monitor_train", "--jsonl", str(training), TABYIN_DATA_DIR=str(data))
    assert trained.returncode == 0, trained.stderr
    source = _write(tmp_path / "in.jsonl", _sentiment_lines())
    result = run("classify", "sentiment", str(source), TABYIN_DATA_DIR=str(data))
    assert (result.returncode, result.stderr) == (0, "")
    expected = train(samples).predict_many(TEXTS)
    assert expected != Classifier.default().predict_many(TEXTS)
    assert _out(result.stdout) == [{"id": i, "label": lab, "score": s} for i, (lab, s) in enumerate(expected)]


def test_stance_from_standard_input_keeps_order_and_reports_bad_lines(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "claim": CLAIM, "text": f"خبر {CLAIM} دروغ است"},
        {"id": "b", "claim": CLAIM, "text": f"🔴 فوری: {CLAIM}"},
    ]
    lines = [
        json.dumps(rows[0], ensure_ascii=False),
        "{not json",
        json.dumps({"id": "c", "text": "بدون ادعا"}, ensure_ascii=False),
        json.dumps({"id": ["x"], "claim": CLAIM, "text": "متن"}, ensure_ascii=False),
        json.dumps({"id": "d", "claim": CLAIM, "text": 7}),
        "",
        "[1, 2]",
        json.dumps(rows[1], ensure_ascii=False),
    ]
    result = subprocess.run(
        [*TABYIN, "classify", "stance", "-"],
        input="\n".join(lines) + "\n",
        env=clean_env(TABYIN_DATA_DIR=str(tmp_path / "unused")),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    expected = [classify(r["claim"], r["text"]) for r in rows]
    assert [e.label.value for e in expected] == ["disagree", "agree"]
    assert _out(result.stdout) == [
        {"id": r["id"], "label": e.label.value, "score": e.score} for r, e in zip(rows, expected, strict=True)
    ]
    assert result.stderr.splitlines() == [
        "line 2: not JSON (Expecting property name enclosed in double quotes, column 2)",
        "line 3: claim: missing",
        "line 4: id: not a string or an integer",
        "line 5: text: not a string",
        "line 7: not a JSON object",
    ]
    # Stance needs no database: the data directory is never created.
    assert not (tmp_path / "unused").exists()


def test_a_missing_file_is_one_plain_error(tmp_path: Path) -> None:
    result = run("classify", "stance", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 2
    assert result.stderr == f"tabyin: error: {tmp_path / 'nope.jsonl'}: no such file.\n"

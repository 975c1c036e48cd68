"""The rules of the Persian-reader crawl (tests/browser/test_persian_reader.py), checked without a
browser: they catch what issue 16 found on the pages and let through what is rightly Latin."""

from __future__ import annotations

import pytest

from tests.browser.persian_reader import Crawl, Finding, shape, text_findings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 کانال تازه در یک ساعت گذشته", [("latin-digit", "10 کانال تازه در یک ساعت گذشته")]),
        ("خبر به ۳۸ کانال رسید (آستانه 10)", [("latin-digit", "خبر به ۳۸ کانال رسید (آستانه 10)")]),
        ("نوع گزارش: bribery", [("latin-word", "نوع گزارش: bribery")]),
        ("واحدهای دریافت‌کننده: ir-23-security", [("latin-word", "واحدهای دریافت‌کننده: ir-23-security")]),
        ("رسید.pdf · application/pdf", [("latin-word", "رسید.pdf · application/pdf")]),
        ("ارسال با in_app، email", [("latin-word", "ارسال با in_app، email")] * 2),
        ("تاریخ نامعلوم · Public tipline", [("latin-word", "تاریخ نامعلوم · Public tipline")] * 2),
        ("مسئول: None", [("latin-word", "مسئول: None")]),
        ("دورهٔ 1405-H1 ساخته شد", [("latin-word", "دورهٔ 1405-H1 ساخته شد")]),
    ],
)
def test_what_a_persian_reader_stumbles_on_is_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.kind, f.snippet) for f in text_findings("/p/", text)] == expected


def test_what_is_rightly_latin_passes() -> None:
    text = "\n".join(
        [
            "نشانی https://example.ir/reports/ و رایانامهٔ help@example.ir",
            "برای برنامه‌ها: /api/v1/scorecards/1404/",
            "دریافت: CSV · JSON · PDF · RSS/Atom",
            "🆔 @demo_sedaye_eteraz · t.me/demo_hamedan · telegram:demo_shahr",
            "S03 سهم بودجه و M01 برنامه‌ریزی",
            "یک نیم‌سال (۱۴۰۴-H1) یا یک فصل (۱۴۰۴-Q3)",
            "S11-IR-12-1404.pdf ۶۰۵ بایت",
        ]
    )
    assert text_findings("/p/", text) == []


def test_one_finding_per_word_and_kind_with_the_url_and_a_snippet() -> None:
    rows = "\n".join(f"ردیف {n}: بررسی bribery" for n in "۱۲۳")
    found = text_findings("/staff/reports/", rows)

    assert found == [Finding("/staff/reports/", "latin-word", "ردیف ۱: بررسی bribery")]
    assert str(found[0]) == "/staff/reports/  [latin-word]  ردیف ۱: بررسی bribery"


def test_a_long_line_is_cut_around_the_word() -> None:
    line = "الف " * 30 + "bribery" + " ب" * 30

    (finding,) = text_findings("/p/", line)

    # Thirty characters either side of the word, marked as cut at both ends.
    assert finding.snippet == "…ف الف الف الف الف الف الف الف bribery ب ب ب ب ب ب ب ب ب ب ب ب ب ب ب…"


def test_each_kind_of_page_is_read_once() -> None:
    assert shape("/staff/monitor/stories/17/") == "/staff/monitor/stories/<n>/"
    assert shape("/staff/scorecard/1404/IR-23/") == "/staff/scorecard/<n>/<province>/"
    assert shape("/staff/scorecard/1404-H1/IR-23/") == "/staff/scorecard/<period>/<province>/"
    assert shape("/staff/monitor/briefs/2026-12-07/") == "/staff/monitor/briefs/<date>/"
    assert shape("/indicators/pensioners/") == "/indicators/<slug>/"
    assert shape("/reports/posters/ir-23/") == "/reports/posters/<slug>/"
    assert shape("/staff/monitor/stories/") == "/staff/monitor/stories/"


@pytest.mark.parametrize(
    ("url", "wanted"),
    [
        ("http://127.0.0.1:8000/staff/monitor/#top", "/staff/monitor/"),
        ("http://127.0.0.1:8000/staff/monitor/?page=2", "/staff/monitor/"),
        ("http://127.0.0.1:8000/staff/logout/", None),
        ("http://127.0.0.1:8000/en/staff/", None),
        ("http://127.0.0.1:8000/api/v1/datasets", None),
        ("http://127.0.0.1:8000/staff/reports/export.csv", None),
        ("http://127.0.0.1:8000/staff/admin/", None),
        ("http://127.0.0.1:8000/data/", None),  # the staff walk stays under /staff/
        ("https://example.ir/staff/", None),
    ],
)
def test_the_staff_walk_follows_only_its_own_pages(url: str, wanted: str | None) -> None:
    crawl = Crawl("http://127.0.0.1:8000", 10, only="/staff/", skip=("/staff/admin/",))

    assert crawl._wanted(url) == wanted


def test_every_allow_list_entry_says_why() -> None:
    from tests.browser.persian_reader import ALLOWED, PAGES_ALLOWED, STATUS_ALLOWED

    entries = [*ALLOWED, *PAGES_ALLOWED, *STATUS_ALLOWED]
    # The entries the form renderer and audit sentences made unnecessary are gone.
    assert len(entries) == 10
    assert all(len(entry.reason) > 10 for entry in entries)

"""The system page names a periodic job's interval in words and the page's digits (issue 16: it
showed Python's «1:00:00»)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from tabyin.core.staff.views import _every


@pytest.mark.parametrize(
    ("span", "fa"),
    [
        (timedelta(hours=6), "هر ۶ ساعت"),
        (timedelta(hours=1), "هر ۱ ساعت"),
        (timedelta(minutes=10), "هر ۱۰ دقیقه"),
        (timedelta(seconds=10), "هر ۱۰ ثانیه"),
        (timedelta(seconds=90), "هر ۹۰ ثانیه"),
    ],
)
def test_an_interval_in_persian_words_and_digits(span: timedelta, fa: str) -> None:
    with translation.override("fa"):
        assert _every(span) == fa

"""The public method page says what the code does, in Persian only."""

import inspect
import re
from pathlib import Path

from django.template import Context, Template

import tabyin.ideas
from tabyin.core.persian_text import digits_to_persian
from tabyin.ideas.jury.agreement import icc
from tabyin.ideas.jury.assign import assign_jurors
from tabyin.ideas.jury.inputs import METHOD_VERSION
from tabyin.ideas.jury.normalize import DECIMALS
from tabyin.ideas.jury.ranking import BT_PRIOR_WHEN_DISCONNECTED, TIE_RULE

PAGE = Path(tabyin.ideas.__file__).parent / "templates/ideas/jury/method_fa.html"


def rendered() -> str:
    return Template(PAGE.read_text(encoding="utf-8")).render(Context())


def test_the_page_has_no_latin_letter_and_no_ascii_digit() -> None:
    text = re.sub(r"<[^>]+>", " ", rendered())

    assert re.findall(r"[A-Za-z0-9]", text) == []


def test_the_page_states_the_constants_of_the_code() -> None:
    text = rendered()
    tie_rule = re.search(r'<ol class="jury-tie-rule">(.*?)</ol>', text, re.S)

    assert tie_rule is not None and tie_rule.group(1).count("<li>") == len(TIE_RULE) == 5
    assert inspect.signature(assign_jurors).parameters["per_entry"].default == 3
    assert "دست‌کم ۳ داور" in text
    assert f"گردشده تا {digits_to_persian(str(DECIMALS))} رقم اعشار" in text
    assert BT_PRIOR_WHEN_DISCONNECTED == 0.1 and "یک‌دهم برد و باخت فرضی" in text
    assert inspect.signature(icc).parameters["confidence"].default == 0.95
    assert "اطمینان ۹۵ درصد" in text
    assert METHOD_VERSION == "jury-1" and "نسخهٔ این روش: نسخهٔ ۱." in text

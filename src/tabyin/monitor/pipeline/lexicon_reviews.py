"""Everyday review words the other lists lack (issue 13 point 3): colloquial spellings, texture and
size complaints, "don't be fooled", "I (don't) mind it".

Written for Tabyin by its developers from their own knowledge of the language (no third-party word
list, no data set); conventions as in :mod:`.lexicon_general`.
"""

from __future__ import annotations

from typing import Final

REVIEW_WORDS: Final[dict[str, float]] = {
    # complaints
    "رقیق": -0.5,
    "کوچیک": -0.5,
    "پشیمون": -1.5,
    "میلنگد": -1.0,
    "میلنگه": -1.0,
    "لنگ میزنه": -1.0,
    "چرند": -1.5,
    "چرت و پرت": -1.5,
    "دل ادمو میزنه": -1.0,
    "دلو میزنه": -1.0,
    "دل رو میزنه": -1.0,
    "دل زن": -1.0,
    "گول نخورید": -1.5,
    "گول نخورین": -1.5,
    "بدم اومد": -1.5,
    "بدم امد": -1.5,
    "بدم میاد": -1.5,
    "بدم میامد": -1.5,
    "ارزش نداره": -1.5,
    "ارزش ندارد": -1.5,
    "پول دور ریختنه": -2.0,
    "تاریخش گذشته": -2.0,
    # praise
    "پرکیفیت": 1.5,
    "ارزش داره": 1.0,
    "ارزشش رو داره": 1.5,
    "ارزششو داره": 1.5,
    "خوشم میاد": 1.5,
    "خوشمون اومد": 1.5,
    "دلچسب": 1.5,
}

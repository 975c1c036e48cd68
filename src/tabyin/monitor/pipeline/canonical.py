"""Canonical text of a post: what is left of an item once a reposting channel's additions are removed.

Channels copy an item and frame it: a signature line ("🆔 @channel", "کانال ما 👇 t.me/..."),
emoji, hashtags, a «فوری»/"خبر فوری:" or outlet ("ایسنا:") prefix, a link, a "…ادامه در لینک"
truncation marker, line breaks, another keyboard's digits, ي/ك or ZWNJ habits. :func:`canonical`
removes the frame and folds the spelling so the fingerprint sees only the content words.

Built on :func:`tabyin.core.persian_text.normalize` (digits to ASCII, ي/ك folded, bidi marks
dropped). On top of it, per line: link tokens and @mentions are removed, and a line after the
first that is only "follow us" words with a channel word among them ("کانال ما", "عضو شوید",
"به ما بپیوندید"), or starts like such a call and has at most six words, is dropped as a
signature. Then the text from a truncation marker ("…ادامه در لینک", "متن کامل") on is dropped;
leading emoji and urgency words («فوری», #فوری, "خبر فوری:", "عاجل") and a short outlet head (at
most two words before ":", "|" or " - ", when three or more words follow: "ایسنا:") are removed;
a trailing run of hashtags is removed while an inline hashtag keeps its words; punctuation, emoji,
ZWNJ and underscores become spaces; optional hamza/madda and teh marbuta are folded (the
``search_key`` folds); letters are lower-cased. The result is words separated by one space.
A post with nothing else (only a link, mentions, hashtags) keeps those as its words; only a post
with no letters or digits at all (emoji only) is "".
"""

import re
from typing import Final

from tabyin.core.persian_text import normalize

__all__ = ["canonical"]

# A whitespace-delimited token that is a link (scheme, www., a messenger host or a domain).
_LINK: Final = re.compile(
    r"(?:https?://|www\.|(?:t|telegram)\.me/|(?:eitaa|instagram)\.com/|(?:ble|rubika|splus)\.ir/)"
    r"|^\W*[a-z0-9][\w-]*\.(?:[\w-]+\.)*(?:ir|com|net|org|info|news)\b",
    re.IGNORECASE | re.ASCII,
)
_MENTION: Final = re.compile(r"@\w+")
_PROMO_START: Final = re.compile(
    r"^\W*(?:کانال|عضو|بپیوندید|به ما بپیوندید|لینک عضویت|join|ارتباط با ما|ادمین)", re.IGNORECASE
)
# Words of a "follow us" line: a later line made only of these, one of them a _PROMO_MARK (once links
# are gone), is a signature. "به ما" alone is not: a line break can leave those words on a line.
_PROMO_WORDS: Final = frozenset(
    {"کانال", "ما", "عضو", "شوید", "بپیوندید", "به", "در", "ایتا", "تلگرام", "بله", "روبیکا", "سروش"}
    | {"اخبار", "لحظه", "ای", "لینک", "join", "us"}
)
_PROMO_MARKS: Final = frozenset(
    {"کانال", "عضو", "بپیوندید", "ایتا", "تلگرام", "روبیکا", "سروش", "لحظه", "join"}
)
# Any promo mark as a substring: a line without one cannot be a signature made of promo words.
_ANY_MARK: Final = re.compile("|".join(sorted(_PROMO_MARKS)))
# Everything from a truncation marker on is the channel's, not the item's.
_TRUNCATION: Final = re.compile(
    r"(?:…|\.\.\.)?\s*(?<!\w)(?:ادامه (?:خبر |مطلب )?(?:در|را در) لینک|ادامه مطلب|ادامه خبر"
    r"|متن کامل|مشروح خبر|بیشتر بخوانید|مطالعه بیشتر)\b.*$",
    re.DOTALL,
)
_TRUNCATION_WORDS: Final = re.compile("ادامه|متن کامل|مشروح|بیشتر بخوانید|مطالعه بیشتر")
_URGENT: Final = r"(?:خبر فوری|فوری|عاجل|اختصاصی|خبر ویژه|#خبر_فوری|#اخبار_ایران|#اخبار|#خبر)"
_MEDIA: Final = r"(?:ویدیو|ویدئو|فیلم|تصاویر|ببینید|گزارش تصویری)"
_HEAD: Final = re.compile(rf"^(?:[^\w#]+|#?{_URGENT}\b\s*[:|\-–—]?|{_MEDIA}\s*[:|])\s*")
# "ایسنا:", "ایرنا |", "فارس - ": at most two words, then at least three more.
_OUTLET: Final = re.compile(r"^\w+(?:[ \u200c]\w+)?(?:\s*[:|]| [-–—])\s*(?=(?:\S+\s+){2}\S)")


_WORD: Final = re.compile(r"[^\W_]+")
_FOLDS: Final = (
    ("آ", "ا"),
    ("أ", "ا"),
    ("إ", "ا"),
    ("ٱ", "ا"),
    ("ؤ", "و"),
    ("ئ", "ی"),
    ("ة", "ه"),
    ("ۀ", "ه"),
    ("ء", ""),
)


def _fold(text: str) -> str:
    for letter, folded in _FOLDS:
        if letter in text:
            text = text.replace(letter, folded)
    return text.lower()


def _words(text: str) -> str:
    """Letters and digits only, one space between words, hamza/madda and teh marbuta folded."""
    # findall + join measured faster than str.translate or re.sub over the non-word characters.
    return " ".join(_WORD.findall(_fold(text)))


def _is_link(token: str) -> bool:
    return ("/" in token or "." in token) and _LINK.search(token) is not None


def _lines(text: str) -> str:
    """Links, mentions and signature lines removed, lines joined with a space."""
    kept: list[str] = []
    for raw in text.splitlines():
        # Whitespace inside a line does not matter here (normalize collapses it later): split
        # into tokens only when a token may be a link.
        line = " ".join(t for t in raw.split() if not _is_link(t)) if "/" in raw or "." in raw else raw
        if "@" in line:
            line = _MENTION.sub(" ", line)
        folded = _fold(line)
        if kept and _PROMO_START.match(line) is None and _ANY_MARK.search(folded) is None:
            # No word of the line can be a promo mark: only whether it has a word at all matters.
            if _WORD.search(folded) is not None:
                kept.append(line)
            continue
        words = _WORD.findall(folded)
        if not words:
            continue
        promo = _PROMO_WORDS.issuperset(words) and not _PROMO_MARKS.isdisjoint(words)
        if kept and (promo or (len(words) <= 6 and _PROMO_START.match(line))):
            continue
        kept.append(line)
    return " ".join(kept)


def _strip_trailing_tags(text: str) -> str:
    tokens = text.split(" ")
    while tokens and (tokens[-1].startswith("#") or not _words(tokens[-1])):
        tokens.pop()
    return " ".join(tokens)


def canonical(original: str) -> str:
    """The content words of ``original`` in a fixed spelling (see the module docstring); "" if none."""
    text = lines = normalize(_lines(original))
    if _TRUNCATION_WORDS.search(text):
        text = _TRUNCATION.sub("", text)
    while True:
        stripped = _HEAD.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    text = _OUTLET.sub("", text, count=1)
    if "#" in text:
        text = _strip_trailing_tags(text)
    words = _words(text)
    # A post made only of a link, mentions and hashtags: keep them, or every such post would be "".
    return words or _words(lines) or _words(normalize(original))

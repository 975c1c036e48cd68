"""Canonical text of a post: what is left of an item once a reposting channel's additions are removed.

Channels copy an item and frame it. :func:`canonical` removes the frame, line by line, wherever it
stands (first line, last line or between), and folds the spelling so the fingerprint sees only the
content words:

* **Signature lines**: a line that is empty once its links and @mentions are gone ("🆔 @x",
  "t.me/x"), or made only of "follow us" words with a channel word among them ("کانال ما 👇",
  "عضو شوید", "به ما بپیوندید"), or a short line starting like such a call that named a link or
  handle ("👈 عضو شوید: @x"). Links and mentions are removed from every line.
* **Commentary lines** (only while another line is left): a lead-in that points at the item (ends
  with 👇/⬇️/🔽 or starts or ends with 👆, at most ``COMMENTARY_WORDS`` words: «خبری که رسانه‌های
  رسمی منتشر نکردند 👇»; a down arrow inside a line splits it there), a call to pass
  it on («این را برای همه بفرستید», «بازنشر کنید», "share"), or a line of label words only
  («فوری», «اختصاصی», «خبر ویژه», «مهم»).
* **Truncation**: a "read more" marker («ادامه خبر در لینک زیر», «متن کامل در…», «…ادامه مطلب»)
  at the start of a line or after an ellipsis ends the item: it and everything after it go. The
  same words inside a sentence ("متن کامل قانون منتشر شد") are content.
* **Heads**: leading emoji and urgency words («فوری», #فوری, "خبر فوری:", "عاجل"), "به گزارش X،",
  and a known outlet's head ("ایسنا:", "خبرگزاری مهر:", "فارس -": :data:`OUTLETS`) are removed. Any
  other short head before a colon says who said it («سخنگوی دولت: …», «نماینده مجلس: …»): it is
  content, kept and marked as ``head: rest`` so the fingerprint can weigh it (two speakers saying
  the same words are two stories).

**Learnt frame lines** (:class:`FrameLines`, ADR 0029): commentary that no rule lists («این هم از
وضعیت ما») is learnt from the traffic, a short line that stood in posts of ``FRAME_STORIES``
different stories; the index holds one, and ingestion canonicalises through it.

Then a trailing run of hashtags goes (an inline hashtag keeps its word); punctuation, emoji, ZWNJ and
underscores become spaces; optional hamza/madda and teh marbuta are folded (the ``search_key``
folds); letters are lower-cased. The result is words separated by one space, with at most one ":"
after an attribution head. A post with nothing else (only a link, mentions, hashtags) keeps those
as its words; only a post with no letters or digits at all (emoji only) is "". Verdict words
(تایید، تکذیب، دروغ است…) are content like any other: whether a denial belongs to the story of the
claim it denies is decided after the index (see ``pipeline/batch.py``).
"""

import re
from collections.abc import Sequence
from typing import Final

from tabyin.core.persian_text import normalize

__all__ = ["COMMENTARY_WORDS", "FRAME_STORIES", "OUTLETS", "REACTION_WORDS", "FrameLines", "canonical"]

# Outlets whose name as a head ("ایسنا:") is a channel's credit line, not who said it. Folded
# spelling (see _fold). A head "خبرگزاری …", "روزنامه …", "پایگاه خبری …" or "… نیوز" is one too.
OUTLETS: Final = frozenset(
    {
        "ایسنا", "ایرنا", "ایلنا", "ایبنا", "فارس", "تسنیم", "مهر", "میزان", "شبستان", "رسا",
        "اکو ایران",
        "خبرانلاین", "خبر انلاین", "انتخاب", "عصر ایران", "عصرایران", "تابناک", "همشهری", "همشهری انلاین",
        "جماران", "اعتماد", "اعتماد انلاین", "کیهان", "جوان", "شرق", "ایران", "دنیای اقتصاد", "اقتصاد انلاین",
        "رویداد 24", "فرارو", "خبرفوری", "خبر فوری", "اخبار فوری", "باشگاه خبرنگاران",
        "باشگاه خبرنگاران جوان",
        "صدا و سیما", "صداوسیما", "خبر 20 30", "خبر 2030", "بی بی سی", "بی بی سی فارسی", "ایران اینترنشنال",
        "صدای امریکا", "رادیو فردا", "یورونیوز", "دیده بان ایران", "نامه نیوز", "الف", "صراط", "مشرق",
        "رجا نیوز", "نسیم", "دانشجو", "پانا", "برنا", "موج", "حوزه", "ایکنا", "سیتنا", "تجارت نیوز",
        "اقتصاد 24", "اقتصادنیوز", "اقتصاد نیوز", "ایران اکونومیست", "ساعد نیوز", "بهار نیوز", "خبرگزاری",
    }
)  # fmt: skip
_OUTLET_HEAD: Final = re.compile(
    r"^(?:خبرگزاری|روزنامه|پایگاه خبری|کانال|سایت) |(?:نیوز|news)$|^(?:منبع|source|عکس|فیلم|ویدیو|کانال)$"
)
# A lead-in or call longer than this is taken for content.
COMMENTARY_WORDS: Final = 14
# A line of at most this many words ending in "!" or "?" beside a longer line is a reaction to it.
REACTION_WORDS: Final = 6
# A short line seen in posts of this many different stories is a frame line (FrameLines).
FRAME_STORIES: Final = 3
# A learnt frame of at least this many words is also taken off the start or the end of a line that
# keeps at least this many more.
FRAME_END_WORDS: Final = 3
MAX_LINES: Final = 1 << 18
_NO_FRAMES: Final[frozenset[int]] = frozenset()
_NO_LINES: Final[list[tuple[int, int]]] = []

# A whitespace-delimited token that is a link (scheme, www., a messenger host or a domain).
_LINK: Final = re.compile(
    r"(?:https?://|www\.|(?:t|telegram)\.me/|(?:eitaa|instagram)\.com/|(?:ble|rubika|splus)\.ir/)"
    r"|^\W*[a-z0-9][\w-]*\.(?:[\w-]+\.)*(?:ir|com|net|org|info|news)\b",
    re.IGNORECASE | re.ASCII,
)
_MENTION: Final = re.compile(r"@\w+")
_PROMO_START: Final = re.compile(
    r"^\W*(?:کانال|عضو|بپیوندید|به ما بپیوندید|لینک عضویت|join|ارتباط با ما|ادمین|ایدی|ای دی|id)",
    re.IGNORECASE,
)
# Words of a "follow us" line: a line made only of these, one of them a _PROMO_MARKS (once links
# are gone), is a signature. "به ما" alone is not: a line break can leave those words on a line.
_PROMO_WORDS: Final = frozenset(
    {"کانال", "ما", "عضو", "شوید", "بپیوندید", "به", "در", "ایتا", "تلگرام", "بله", "روبیکا", "سروش"}
    | {"اخبار", "لحظه", "ای", "لینک", "join", "us", "رسمی", "id", "ایدی", "خبری", "کانال", "اینستاگرام"}
)
_PROMO_MARKS: Final = frozenset(
    {"کانال", "عضو", "بپیوندید", "ایتا", "تلگرام", "روبیکا", "سروش", "لحظه", "join", "id", "ایدی"}
)
# Words of a line that only labels the item («فوری», «اختصاصی 🔴»): dropped when other lines remain.
_LABEL_WORDS: Final = frozenset(
    {"فوری", "خبر", "اخبار", "عاجل", "اختصاصی", "ویژه", "مهم", "توجه", "داغ", "جنجالی", "بخوانید", "ببینید"}
    | {"حتما", "فیلم", "ویدیو", "ویدئو", "تصاویر", "اطلاعیه", "مهم", "خیلی", "و", "فوووری", "فورى"}
)
# A line pointing at the item: ends with a down arrow, or starts or ends with an up arrow.
_POINTS_DOWN: Final = "👇⬇🔽⤵↓⏬"
_LEAD_IN: Final = re.compile(rf"[{_POINTS_DOWN}]\ufe0f?\W*$|^\W*[👆⬆🔼☝]|[👆⬆🔼☝]\ufe0f?\W*$")
_ANY_ARROW: Final = re.compile(f"[{_POINTS_DOWN}]")
_SPLIT_AT_ARROW: Final = re.compile(rf"(?<=[{_POINTS_DOWN}])(?:\ufe0f)?(?=.*\w)")
# A channel's handle written without "@" ("tehran_news24"), or a short reaction («عجب!», «نظر شما
# چیست؟»): a line of at most six words with one is the channel's.
_BARE_HANDLE: Final = re.compile(
    r"(?<![\w.])[a-z][a-z0-9]*(?:_[a-z0-9]+|[0-9]+)\w*(?![\w.])", re.IGNORECASE | re.ASCII
)
_ELLIPSIS: Final = re.compile(r"(?:…|\.\.\.)\W*$")
_CREDIT: Final = re.compile(r"^\W*(?:منبع|source)\s*:", re.IGNORECASE)
_REACTION: Final = re.compile(r"[!؟?]\W*$")
# A call to pass the item on.
_CALL: Final = re.compile(
    r"بفرستید|بفرستین|ارسال کنید|بازنشر|باز نشر|منتشر کنید|نشر دهید|نشر بدید|دست به دست|به اشتراک بگذارید"
    r"|پخش کنید|انتشار حداکثری|فوروارد|فروارد|share|اطلاع رسانی کنید|برای دوستان"
)
# A "read more" marker ends the item when it starts a line or follows an ellipsis.
_MORE: Final = (
    r"(?:ادامه (?:خبر |مطلب |گزارش )?(?:در|را در) |ادامه (?:خبر|مطلب|گزارش)|ادامه دارد|ادامه\W*$|متن کامل"
    r"|مشروح (?:خبر|گزارش|مطلب)|مشروح در|جزئیات (?:بیشتر|کامل) |بیشتر بخوانید|مطالعه بیشتر|لینک خبر"
    r"|بقیه (?:خبر|مطلب|در)|read more)"
)
# These say "the rest is elsewhere" wherever they stand in a line.
_MORE_ELSEWHERE: Final = (
    r"(?:ادامه (?:خبر |مطلب |گزارش )?(?:در|را در) (?:لینک|سایت|کانال)"
    r"|(?:متن کامل|مشروح) (?:خبر |مطلب |گزارش )?(?:در|را در) (?:لینک|سایت|کانال)"
    r"|(?:متن کامل|مشروح) (?:خبر |مطلب |گزارش )?را (?:اینجا )?بخوانید)"
)
_TRUNCATION: Final = re.compile(rf"^\W*{_MORE}|(?:…|\.\.\.)\W*{_MORE}|{_MORE_ELSEWHERE}", re.IGNORECASE)
_TRUNCATION_WORDS: Final = re.compile("ادامه|متن کامل|مشروح|جزئیات|بیشتر|لینک خبر|بقیه|read more", re.I)
_URGENT: Final = r"(?:خبر فوری|فوری|عاجل|اختصاصی|خبر ویژه|#خبر_فوری|#اخبار_ایران|#اخبار|#خبر)"
_MEDIA: Final = r"(?:ویدیو|ویدئو|فیلم|تصاویر|ببینید|گزارش تصویری)"
_HEAD: Final = re.compile(
    rf"^(?:[^\w#]+|#?{_URGENT}\b\s*[:|\-–—]?|(?:{_MEDIA}|مهم|توجه|خبر خوب|خبر بد)\s*[:|!]"
    r"|به گزارش [^،,:]{1,40}[،,]+)\s*"
)
# A head of at most four words before ":", "|" or " - ", then at least three more words.
_ANY_HEAD: Final = re.compile(r"^(\w+(?:[ \u200c]\w+){0,3})\s*(:|\||\s[-–—])\s*(?=(?:\S+\s+){2}\S)")
# In a cut copy («سخنگوی دولت: جسد بنیتا…») the rest may be one word: it is still who said it.
_CUT_HEAD: Final = re.compile(r"^(\w+(?:[ \u200c]\w+){0,3})\s*(:|\||\s[-–—])\s*(?=\S)")


_WORD: Final = re.compile(r"[^\W_]+")
_LINE_MARK: Final = " \ue000 "  # private use: normalize keeps it
_BREAKS: Final = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
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


def _is_frame(line: str, words: list[str], referred: bool) -> bool:
    """Whether a line (links and mentions removed, ``referred`` if it had some) is the channel's."""
    if _PROMO_WORDS.issuperset(words) and not _PROMO_MARKS.isdisjoint(words):
        return True
    if len(words) <= 6 and (
        (referred and _PROMO_START.match(line)) or _BARE_HANDLE.search(line) or _CREDIT.match(line)
    ):
        return True
    if len(words) > COMMENTARY_WORDS:
        return False
    return (
        _LABEL_WORDS.issuperset(words) or _LEAD_IN.search(line) is not None or _CALL.search(line) is not None
    )


def _clean_lines(text: str) -> tuple[list[tuple[str, bool]], bool]:
    """The post's lines with words, links and mentions removed, each with whether it had some;
    cut at a "read more" marker, and whether it was."""
    lines: list[tuple[str, bool]] = []
    if _ANY_ARROW.search(text):
        text = _SPLIT_AT_ARROW.sub("\n", text)
    # One normalize call for the whole post (it folds whitespace, so lines go through a private
    # separator) measured cheaper than one a line.
    may_cut = _TRUNCATION_WORDS.search(text) is not None
    for raw in normalize(_BREAKS.sub(_LINE_MARK, text)).split(_LINE_MARK):
        line, referred = raw, False
        if "/" in line or "." in line:
            tokens = line.split()
            kept = [t for t in tokens if not _is_link(t)]
            referred = len(kept) < len(tokens)
            line = " ".join(kept)
        if "@" in line:
            line, mentions = _MENTION.subn(" ", line)
            referred = referred or mentions > 0
        if may_cut and _TRUNCATION_WORDS.search(line):
            cut = _TRUNCATION.search(line)
            if cut is not None:
                line = line[: cut.start()].strip()
                if _WORD.search(line):
                    lines.append((line, referred))
                return lines, True
        if _WORD.search(line):
            lines.append((line.strip(), referred))
    return lines, False


def _lines(text: str, frames: "FrameLines | None" = None) -> tuple[str, bool]:
    """Links, mentions, signature and commentary lines removed, the item cut at a "read more"
    marker; lines normalised and joined with a space; and whether the item was cut. With
    ``frames``, a line it has learnt to be a frame goes too, and the content lines are noted."""
    lines, cut = _clean_lines(text)
    if len(lines) < 2:  # one line is the item, whatever it looks like
        line = lines[0][0] if lines else ""
        return line, cut or _ELLIPSIS.search(line) is not None
    content: list[str] = []
    frame: list[str] = []
    reactions: list[tuple[int, int]] = []  # (position in content, words)
    known = frames.known if frames is not None else _NO_FRAMES
    noted: list[tuple[int, int]] = []
    for line, referred in lines:
        words = _WORD.findall(_fold(line))
        if len(words) <= COMMENTARY_WORDS:
            key = hash(" ".join(words))
            if not line.endswith(":"):  # a speaker's head broken off its words is not a frame
                noted.append((key, len(words)))
            if key in known:
                frame.append(line)
                continue
        if _is_frame(line, words, referred or bool(content)):
            frame.append(line)
            continue
        if frames is not None and frames.lengths and len(words) > FRAME_END_WORDS:
            rest = _without_known_ends(line, words, frames)
            if rest is not line:
                content.append(rest)
                continue
        if len(words) <= REACTION_WORDS and _REACTION.search(line):
            content.append(line)
            reactions.append((len(content) - 1, len(words)))
        else:
            content.append(line)
    if frames is not None and noted:
        frames.pending[-1] = noted
    if reactions:
        # A short exclamation or question beside a longer line is a reaction to it.
        longest = max(len(_WORD.findall(line)) for line in content)
        drop = {at for at, count in reactions if count < longest}
        content = [line for at, line in enumerate(content) if at not in drop]
    kept = content or frame
    return " ".join(kept), cut or _ELLIPSIS.search(kept[-1]) is not None


def _without_known_ends(line: str, words: list[str], frames: "FrameLines") -> str:
    """The line without a learnt frame line of at least ``FRAME_END_WORDS`` words written on the
    same line before or after the item («این هم از وضعیت ما تو مرا دیدی»)."""
    known = frames.known
    for count in frames.lengths:
        if count > len(words) - FRAME_END_WORDS:
            continue
        head = hash(" ".join(words[:count])) in known
        if head or hash(" ".join(words[-count:])) in known:
            spans = list(_WORD.finditer(line))
            if len(spans) != len(words):  # folding removed a word (a lone hamza): leave the line
                return line
            return line[spans[count - 1].end() :] if head else line[: spans[-count].start()]
    return line


def _strip_trailing_tags(text: str) -> str:
    tokens = text.split(" ")
    while tokens and (tokens[-1].startswith("#") or not _words(tokens[-1])):
        tokens.pop()
    return " ".join(tokens)


def _strip_heads(text: str) -> str:
    """The text without leading emoji, urgency words and "به گزارش X،"."""
    while (match := _HEAD.match(text)) is not None:
        text = text[match.end() :]
    return text


def _head(text: str, cut: bool = False) -> tuple[str, str]:
    """(attribution head or "", the text after it) with a known outlet's head dropped."""
    match = (_CUT_HEAD if cut else _ANY_HEAD).match(text)
    if match is None:
        return "", text
    head = _words(match.group(1))
    rest = text[match.end() :]
    if head in OUTLETS or _OUTLET_HEAD.search(head) or match.group(2) != ":":
        # An outlet's credit, or "X |" / "X - " (how outlets and sections head an item).
        return "", rest if (head in OUTLETS or _OUTLET_HEAD.search(head)) else text
    return head, rest


def canonical(original: str) -> str:
    """The content words of ``original`` in a fixed spelling (see the module docstring); "" if none."""
    return _canonical(original, None)


def _canonical(original: str, frames: "FrameLines | None") -> str:
    text, truncated = _lines(original, frames)
    lines = text
    text = _strip_heads(text)
    head, rest = _head(text, truncated)
    while not head and rest is not text:  # an outlet's credit: another, or who said it, may follow
        text = _strip_heads(rest)
        head, rest = _head(text, truncated)
    text = rest
    if "#" in text:
        text = _strip_trailing_tags(text)
    words = _words(text)
    if head and words:
        words = f"{head}: {words}"
    if truncated and words:
        return words + " …"
    # A post made only of a link, mentions and hashtags: keep them, or every such post would be "".
    return words or _words(lines) or _words(normalize(original))


class FrameLines:
    """Frame lines learnt from the traffic: a short line (at most ``COMMENTARY_WORDS`` words) of
    a post of several lines that has stood in posts of ``FRAME_STORIES`` different stories is a
    channel's commentary or signature, whatever its words («این هم از وضعیت ما», «پیگیری
    می‌کنیم», a channel's own sign-off), and :meth:`canonical` drops it like the listed ones
    (only while another line is left). A line of an item recurs in its reposts, which are one
    story, so it is not learnt; boilerplate recurs across items, so it is.

    ``canonical`` notes each post's candidate lines; ``learn`` then takes the stories those posts
    were put in, in the same order. Line keys are Python ``hash()`` values: the memory lives in
    one process and only tests membership, so the per-process salt changes nothing. At most
    ``MAX_LINES`` lines are followed; past that the ones not yet frames are forgotten."""

    def __init__(self) -> None:
        self.known: set[int] = set()
        self.lengths: list[
            int
        ] = []  # word counts of the known frames of FRAME_END_WORDS or more, longest first
        self.pending: list[list[tuple[int, int]]] = []
        self.pending_texts: list[str] = []
        self._stories: dict[int, tuple[int, ...]] = {}
        # Grows each time a line becomes a frame: the canonical text of a post may then change,
        # so a memo of signatures by raw text (pipeline.memo) must start again.
        self.version = 0

    def canonical(self, original: str) -> str:
        """``canonical(original)`` without the lines learnt to be frames."""
        self.pending.append(_NO_LINES)
        self.pending_texts.append(original)
        return _canonical(original, self)

    def learn_by_text(self, stories_of: Sequence[tuple[str, int]]) -> None:
        """As :meth:`learn`, for callers that canonicalise each distinct text once (ingestion):
        the (raw text, story) of every new post. A text not given to :meth:`canonical` since the
        last call (its signature came from a memo) teaches nothing."""
        lines_of = dict(zip(self.pending_texts, self.pending, strict=True))
        self.pending, self.pending_texts = [lines_of.get(text, _NO_LINES) for text, _ in stories_of], []
        self.learn([story for _, story in stories_of])

    def learn(self, story_keys: Sequence[int]) -> None:
        """The stories of the posts given to :meth:`canonical` since the last call, in order."""
        stories, pending = self._stories, self.pending
        self.pending, self.pending_texts = [], []
        if len(pending) != len(story_keys):  # a batch that failed half-way: learn nothing from it
            return
        for lines, story in zip(pending, story_keys, strict=True):
            for key, words in lines:
                seen = stories.get(key, ())
                if story in seen or key in self.known:
                    continue
                if len(seen) + 1 >= FRAME_STORIES:
                    self.known.add(key)
                    self.version += 1
                    stories.pop(key, None)
                    if words >= FRAME_END_WORDS and words not in self.lengths:
                        self.lengths = sorted((*self.lengths, words), reverse=True)
                else:
                    stories[key] = (*seen, story)
        if len(stories) > MAX_LINES:
            stories.clear()

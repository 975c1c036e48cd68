"""The rule words of the default sentiment classifier: what changes, strengthens, negates or denies
the evaluative words of :mod:`.lexicon` and :mod:`.lexicon_general`.

Written for Tabyin by its developers (no third-party list or data set). Plain spelling, as there.
"""

from __future__ import annotations

from typing import Final

# Nouns that are neither good nor bad news alone but whose change is: «افزایش مستمری» is good news,
# «کاهش مستمری» bad. GOODS are things people want more of, BADS things they want less of.
GOODS: Final[frozenset[str]] = frozenset(
    {
        "حقوق",
        "مستمری",
        "دستمزد",
        "مزد",
        "پرداختی",
        "یارانه",
        "کیفیت",
        "خدمات",
        "پوشش",
        "سهم",
        "بودجه",
        "درآمد",
        "منابع",
        "رضایت",
        "سرعت",
        "تعهدات",
        "اعتماد",
        "امید",
        "قدرت خرید",
        "اشتغال",
        "سرمایه",
        "ذخایر",
        "عیدی",
        "وام",
        "طعم",
        "مزه",
        "ارزش",
        "کارایی",
        "تاثیر",
    }
)
BADS: Final[frozenset[str]] = frozenset(
    {
        "صف",
        "صفها",
        "هزینه",
        "قیمت",
        "نرخ",
        "بدهی",
        "بدهکاری",
        "زمان انتظار",
        "انتظار",
        "نوبت",
        "مراجعه حضوری",
        "بیکاری",
        "کسری",
        "تورم",
        "ترافیک",
    }
)

# Shifters: «کاهش» of a bad thing is good news and of a good thing bad; «افزایش» keeps the thing's
# sign; a resolver («تسویه», «رفع») of either is good news («تسویه بدهی», «پرداخت حقوق»). The
# changed thing may stand after the shifter («کاهش صف») or before it («بدهی دولت در حال تسویه»,
# «صف‌ها کاهش یافت»). Alone, a shifter counts its own weight.
REDUCERS: Final[dict[str, float]] = {
    "کاهش": -1.0,
    "کم": -0.5,
    "کمتر": -0.5,
    "کاسته": -0.5,
    "کسر": -1.0,
    "قطع": -1.0,
    "لغو": -1.0,
    "توقف": -1.0,
    "حذف": -0.5,
    "افت": -1.0,
    "سقوط": -1.5,
    "پایین": -0.5,
    "ریزش": -1.0,
    "مهار": 0.5,
    "کنترل": 0.0,
    "کوتاه": 0.0,
    "کوتاهتر": 0.0,
    "از دست": -0.5,
}
INCREASERS: Final[dict[str, float]] = {
    "افزایش": 1.0,
    "رشد": 1.0,
    "بالا": 0.0,
    "گسترش": 1.0,
    "ارتقا": 1.0,
    "ارتقای": 1.0,
    "تشدید": -1.0,
    "تداوم": 0.0,
    "ادامه": 0.0,
    "طولانی": -1.0,
    "طولانیتر": -1.0,
    "جهش": 0.5,
}
RESOLVERS: Final[dict[str, float]] = {
    "تسویه": 1.5,
    "پرداخت": 1.0,
    "رفع": 1.0,
    "حل": 1.0,
    "برطرف": 1.0,
    "جبران": 1.0,
    "رسیدگی": 1.0,
    "ساماندهی": 1.0,
    "بازپرداخت": 1.0,
    "واریز": 1.0,
}

# Words that strengthen (or soften) the evaluative word after them.
INTENSIFIERS: Final[dict[str, float]] = {
    "خیلی": 1.5,
    "خیلیی": 1.5,
    "بسیار": 1.5,
    "واقعا": 1.5,
    "کاملا": 1.5,
    "شدیدا": 1.5,
    "بشدت": 1.5,
    "به شدت": 1.5,
    "فوق العاده": 1.5,
    "اصلا": 1.5,
    "هیچ": 1.5,
    "انقدر": 1.3,
    "اینقدر": 1.3,
    "چقدر": 1.3,
    "خیلی خیلی": 2.0,
    "بی نهایت": 2.0,
    "واقعاً": 1.5,
    "فوق": 1.5,
    "زیاد": 1.3,
    "زیادی": 1.3,
    "بیشتر": 1.2,
    "کمی": 0.6,
    "یکم": 0.6,
    "یه کم": 0.6,
    "نسبتا": 0.7,
    "تقریبا": 0.8,
    "نسبتاً": 0.7,
}

# Wishes, expectations and demands: praise after them is what is missing («کاش … بهتر بود», «توقع
# داشتم خوشمزه باشد», «خواستار همسان‌سازی شدند»). Not «اگر»: «اگر … دوست دارید، انتخاب خوبی است»
# recommends.
WISHES: Final[frozenset[str]] = frozenset(
    {"کاش", "ایکاش", "توقع", "انتظار", "انتظارم", "توقعم", "میتونست", "میتوانست", "خواستار", "خواهان"}
)

# Contrast: what follows «ولی/اما» is what the writer means («بسته‌بندی خوب بود ولی مزه نداشت»).
CONTRASTS: Final[frozenset[str]] = frozenset({"ولی", "اما", "ولیکن", "لیکن", "منتها", "منتهی", "درعوض"})
# Hedges: the writer does not say it is so («شاید خوشمزه باشه», «مطمئن نیستم»); one or two words.
# Not «هنوز»: «هنوز تمدید نشده» is a complaint.
HEDGES: Final[frozenset[str]] = frozenset(
    {
        "شاید",
        "احتمالا",
        "احتمالاً",
        "نمیدونم",
        "نمیدانم",
        "فکر کنم",
        "فکر میکنم",
        "به نظر میاد",
        "به نظر میرسد",
        "مطمئن نیستم",
        "مطمئن نیستیم",
    }
)
# The writer's summing-up: what follows is the verdict («… ولی رنگش خوب نیست، در کل خوبه»).
SUMMARIES: Final[frozenset[str]] = frozenset(
    {"در کل", "درکل", "در مجموع", "درمجموع", "کلا", "کلاً", "رویهمرفته", "در نهایت", "درنهایت"}
)
# Concessions: praise and complaint joined by one of these (or a contrast) are weighed against each
# other («هرچند گران است، کیفیتش خوب است»), without weighting either clause.
CONCESSIONS: Final[frozenset[str]] = frozenset({"هرچند", "اگرچه", "البته", "باآنکه"})

# A denial, matched on the sentence (match_key form): a denied bad news item is not bad news for
# the organization («خبر تاخیر در پرداخت حقوق تکذیب شد»).
DENIALS: Final[tuple[str, ...]] = (
    "تکذیب",
    "کذب محض",
    "کذب است",
    "خبر کذب",
    "صحت ندارد",
    "صحت نداره",
    "حقیقت ندارد",
    "واقعیت ندارد",
    "شایعه است",
    "شایعه ای بیش نیست",
    "جعلی است",
    "دروغ است",
    "فیک است",
    "نادرست است",
    "بی اساس است",
    "بی پایه و اساس",
)
# …unless the denial itself is negated or questioned («تکذیب نشد», «هنوز تکذیب نکرده‌اند»).
UNDENIED: Final[tuple[str, ...]] = ("تکذیب نشد", "تکذیب نشده", "تکذیب نکرد", "تکذیب نکرده", "تکذیب نمی")

# Negative verbs, built from their stems and personal endings («نبود», «نبودند», «نبودم», «نیستیم»,
# «نشد», «نکردند», «ندارد», colloquial «نداره», «نمیدن»): an evaluative word right before one counts
# the other way. Any word starting with «نمی» counts too.
_NEGATED_STEMS = (
    "بود",
    "بوده",
    "شد",
    "شده",
    "کرد",
    "کرده",
    "داد",
    "داده",
    "داشت",
    "داشته",
    "دار",
    "رسید",
    "رسیده",
    "گرفت",
    "گرفته",
    "یافت",
    "یافته",
    "خواه",
    "خواست",
    "کن",
    "ده",
    "شو",
    "گیر",
    "امد",
    "اومد",
    "اومده",
    "امده",
    "دید",
    "دیده",
    "خورد",
    "خورده",
    "زد",
    "رفت",
    "گفت",
    "تونست",
    "توانست",
    "باید",
    "ارز",
    "چسبید",
)
_ENDINGS = ("", "م", "ی", "یم", "ید", "ند", "ن", "ه", "د", "ست", "یمم")
NEGATORS: Final[frozenset[str]] = frozenset(
    {"ن" + stem + ending for stem in _NEGATED_STEMS for ending in _ENDINGS}
    | {"نیست" + ending for ending in _ENDINGS}
    | {"نیس", "نه", "نخیر", "هرگز"}
)

# Words whose negation denies that something exists or happened («وجود ندارد», «دیده نشد»).
EXISTENCE: Final[frozenset[str]] = frozenset({"وجود", "دیده", "مشاهده", "گزارش"})

# Words that negate the lexicon word after them («بدون تاخیر», «عدم رضایت»), and those that also
# reach over one word («عدم بسته‌بندی مناسب», «بدون هیچ مشکلی»).
PRE_NEGATORS: Final[frozenset[str]] = frozenset({"بدون", "عدم", "نه", "هیچ", "فاقد", "غیر"})
FAR_PRE_NEGATORS: Final[frozenset[str]] = frozenset({"بدون", "عدم", "فاقد"})

# A negative verb after one of these belongs to another clause: the clause of the evaluative word
# is closed by its own (positive) verb or a conjunction («خراب بود، فقط نمی‌دونستم چطور پس بدم»).
CLAUSE_ENDS: Final[frozenset[str]] = frozenset(
    {"بود", "بودن", "بودند", "است", "هست", "هستش", "شد", "داره", "دارد", "داشت", "که", "چون", "فقط", "تا"}
)
# «نه طعم خوبی داشت و نه بوی خوبی»: «نه … و نه …» denies both, one word away too; not «نه تنها».
NOT_ONLY: Final[frozenset[str]] = frozenset({"تنها", "فقط"})

# "Although" that subordinates its clause to the main one («با اینکه تخفیف زده بود ولی بازم گرون‌تره»):
# the main clause is the writer's verdict, the text is not a balanced "mixed" one.
SUBORDINATORS: Final[frozenset[str]] = frozenset(
    {"با اینکه", "با این که", "با وجود اینکه", "با وجود این که", "با وجود", "باوجود", "علیرغم", "علی رغم"}
)

# Other words that a lexicon word plus a suffix spells: «دقیقه» is a minute, not «دقیق» + «ه»;
# «خونه» home, «بدست» obtained, «اصلی» main, «سالمند» elderly, «ترشی» pickles, «قطعات» pieces (not
# «قطع» cut off). An exact entry still counts.
FALSE_FRIENDS: Final[frozenset[str]] = frozenset(
    {
        "دقیقه",
        "دقیقهای",
        "خونه",
        "خونهها",
        "بدست",
        "بدیم",
        "بدید",
        "اصلی",
        "سالمند",
        "سالمندان",
        "ترشی",
        "قطعه",
        "قطعات",
        "قطعهها",
        "قطعهای",
    }
)


# Sentence adverbs that keep their sign whatever verb follows («متاسفانه استفاده نکردم»).
UNNEGATED: Final[frozenset[str]] = frozenset({"متاسفانه", "خوشبختانه", "حیف", "افسوس", "ممنون", "مرسی"})

# "Formerly": praise after it in the sentence is about how it used to be («قبلاً بهتر بود»).
PAST: Final[frozenset[str]] = frozenset({"قبلا", "قبلنا", "سابقا", "قدیما", "قدیم", "پیشترها"})

# Suffixes a lexicon word may carry and still count (مشکلات، شکایت‌ها، اعتراضی، خوبه، بهترین).
SUFFIXES: Final[tuple[str, ...]] = (
    "",
    "ها",
    "های",
    "ی",
    "ات",
    "ان",
    "ش",
    "شان",
    "شون",
    "هایی",
    "ای",
    "ه",
    "یه",
    "تر",
    "ترین",
    "ست",
    "یست",
    "م",
    "یم",
    "ند",
    "اند",
)

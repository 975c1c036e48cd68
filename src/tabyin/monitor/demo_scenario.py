"""The demo's living scenario: a week of sample posts ending "now", generated, never shipped as data.

Everything here is invented for the demo and labelled as sample data on screen: the channels and
sites are fictional (``demo_`` handles), the texts were written for this scenario. One rumor (that
pensions will not be paid next month) starts in a hostile channel and spreads across tens of
channels within hours; the organization's answer follows and spreads too; ordinary coverage runs
alongside. The generator is deterministic for a given ``now`` (seeded), so tests can assert on it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tabyin.monitor.pipeline.types import RawPost

SEED = 1404

# (handle, display name, kind, province ISO code or "", hostile?)
CHANNELS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("demo_sedaye_eteraz", "صدای اعتراض (نمونه)", "telegram", "", True),
    ("demo_khabar_dagh", "خبر داغ (نمونه)", "telegram", "", True),
    ("demo_kargar_online", "کارگر آنلاین (نمونه)", "telegram", "", True),
    ("demo_bazneshasteha", "کانال بازنشستگان (نمونه)", "telegram", "", False),
    ("demo_mostamari", "مستمری‌بگیران (نمونه)", "telegram", "", False),
    ("demo_akhbar_fori", "اخبار فوری روز (نمونه)", "telegram", "", False),
    ("demo_eghtesad_now", "اقتصاد امروز (نمونه)", "telegram", "", False),
    ("demo_tehran_news", "اخبار تهران (نمونه)", "telegram", "IR-23", False),
    ("demo_isfahan_news", "اخبار اصفهان (نمونه)", "telegram", "IR-04", False),
    ("demo_khorasan_news", "خبر خراسان (نمونه)", "eitaa", "IR-09", False),
    ("demo_fars_news", "خبر فارس (نمونه)", "eitaa", "IR-14", False),
    ("demo_tabriz_news", "تبریز امروز (نمونه)", "telegram", "IR-03", False),
    ("demo_khuzestan_news", "خوزستان خبر (نمونه)", "eitaa", "IR-10", False),
    ("demo_gilan_news", "گیلان آنلاین (نمونه)", "telegram", "IR-01", False),
    ("demo_mazandaran_news", "مازندران خبر (نمونه)", "eitaa", "IR-02", False),
    ("demo_kerman_news", "کرمان نیوز (نمونه)", "telegram", "IR-08", False),
    ("demo_jahan_khabar", "جهان خبر (نمونه)", "telegram", "", False),
    ("demo_rooznameh", "روزنامه‌خوان (نمونه)", "telegram", "", False),
    ("demo_bime_khabar", "بیمه‌خبر (نمونه)", "telegram", "", False),
    ("demo_hoghough", "حقوق و دستمزد (نمونه)", "telegram", "", True),
    ("demo_jameh", "جامعه امروز (نمونه)", "eitaa", "", False),
    ("demo_sahar", "سحرگاهی (نمونه)", "telegram", "", False),
    ("demo_paygham", "پیغام مردم (نمونه)", "telegram", "", True),
    ("demo_khabarban", "خبربان (نمونه)", "eitaa", "", False),
    ("demo_roozane", "روزانه (نمونه)", "telegram", "", False),
    ("demo_sedaye_kargar", "صدای کارگر (نمونه)", "telegram", "", True),
    ("demo_shahr", "شهرخبر (نمونه)", "telegram", "", False),
    ("demo_kermanshah", "کرمانشاه خبر (نمونه)", "eitaa", "IR-05", False),
    ("demo_yazd", "یزد امروز (نمونه)", "telegram", "IR-25", False),
    ("demo_hamedan", "همدان خبر (نمونه)", "telegram", "IR-24", False),
    ("demo_qom", "قم نیوز (نمونه)", "eitaa", "IR-26", False),
    ("demo_ardabil", "اردبیل امروز (نمونه)", "telegram", "IR-24", False),
    ("demo_zanjan", "زنجان خبر (نمونه)", "telegram", "IR-19", False),
    ("demo_bushehr", "بوشهر نیوز (نمونه)", "eitaa", "IR-18", False),
    ("demo_semnan", "سمنان خبر (نمونه)", "telegram", "IR-20", False),
    ("demo_golestan", "گلستان آنلاین (نمونه)", "telegram", "IR-27", False),
    ("demo_lorestan", "لرستان خبر (نمونه)", "eitaa", "IR-15", False),
    ("demo_markazi", "مرکزی امروز (نمونه)", "telegram", "IR-22", False),
    ("demo_qazvin", "قزوین خبر (نمونه)", "telegram", "IR-28", False),
    ("demo_ilam", "ایلام نیوز (نمونه)", "eitaa", "IR-16", False),
)
SITES: tuple[tuple[str, str], ...] = (
    ("demo-eghtesad", "پایگاه خبری اقتصاد ملی (نمونه)"),
    ("demo-jameh", "روزنامهٔ جامعه (نمونه)"),
    ("demo-kar", "خبرگزاری کار (نمونه)"),
    ("demo-salamat", "سلامت‌نیوز (نمونه)"),
)
OWNED_CHANNEL = ("demo_tamin_official", "کانال رسمی سازمان (نمونه)", "telegram")

RUMOR = (
    "فوری: حقوق بازنشستگان تأمین اجتماعی ماه آینده پرداخت نمی‌شود؛ صندوق سازمان خالی است و "
    "بانک‌ها دستور توقف واریز مستمری‌ها را گرفته‌اند. این خبر را به همه اطلاع دهید"
)
TIP_TEXT = (
    "آیا درست است که حقوق بازنشستگان تأمین اجتماعی ماه آینده پرداخت نمی‌شود؟ در کانال‌ها نوشته‌اند "
    "صندوق سازمان خالی است و بانک‌ها دستور توقف واریز مستمری‌ها را گرفته‌اند"
)
ANSWER_TITLE = "مستمری ماه آینده بازنشستگان طبق روال پرداخت می‌شود"
ANSWER_BODY = (
    "خبر منتشرشده در برخی کانال‌ها دربارهٔ پرداخت‌نشدن مستمری ماه آینده نادرست است. مستمری "
    "بازنشستگان و مستمری‌بگیران سازمان تأمین اجتماعی طبق روال هر ماه در موعد مقرر واریز می‌شود و "
    "اعتبار آن تأمین شده است. اخبار سازمان را فقط از درگاه‌های رسمی دنبال کنید."
)

# Ordinary coverage: (text, sentiment hint for the reader of this file, how many channels copy it)
COVERAGE: tuple[tuple[str, int], ...] = (
    (
        (
            "افزایش مستمری بازنشستگان تأمین اجتماعی از ابتدای ماه آینده اعمال می‌شود و مابه‌التفاوت "
            "فروردین همراه با حقوق اردیبهشت واریز خواهد شد"
        ),
        9,
    ),
    (
        (
            "نسخه الکترونیک در همه داروخانه‌های طرف قرارداد تأمین اجتماعی در استان اصفهان فعال شد و "
            "بیمه‌شدگان دیگر به دفترچه کاغذی نیاز ندارند"
        ),
        4,
    ),
    (
        (
            "مهلت ثبت‌نام بیمه بیکاری کارگران فصلی تا پایان ماه تمدید شد؛ متقاضیان می‌توانند از طریق "
            "سامانه خدمات غیرحضوری اقدام کنند"
        ),
        5,
    ),
    ("شعبه جدید تأمین اجتماعی در شهرستان ورامین با ظرفیت خدمت‌رسانی به ۸۰ هزار بیمه‌شده افتتاح شد", 3),
    (
        (
            "گلایه بیمه‌شدگان از صف‌های طولانی در شعبه مرکزی تأمین اجتماعی مشهد؛ مراجعان می‌گویند "
            "نوبت‌دهی اینترنتی کار نمی‌کند"
        ),
        6,
    ),
    ("بیمارستان تأمین اجتماعی شهر کرد با ۲۰۰ تخت تا پایان سال به بهره‌برداری می‌رسد", 2),
    ("اعتراض کارفرمایان به افزایش نرخ حق بیمه قراردادهای پیمانکاری و درخواست بازنگری در بخشنامه", 5),
    (
        (
            "مدیرعامل سازمان تأمین اجتماعی: بدهی دولت به سازمان در حال تسویه است و ۴۰ درصد آن "
            "به صورت سهام منتقل شد"
        ),
        7,
    ),
    ("همسان‌سازی حقوق بازنشستگان در دستور کار مجلس قرار گرفت؛ نمایندگان خواستار اجرای کامل قانون شدند", 6),
    (
        ("تأخیر در پرداخت مطالبات داروخانه‌های طرف قرارداد در خوزستان؛ برخی داروخانه‌ها نسخه‌ها را نمی‌پذیرند"),
        4,
    ),
    ("سامانه سوابق بیمه‌ای برای به‌روزرسانی شنبه شب از ساعت ۲۲ تا ۲ بامداد در دسترس نیست", 3),
    ("قیمت طلا و سکه امروز در بازار تهران کاهش یافت", 5),
    ("برگزاری جشنواره فیلم کوتاه دانشجویی در شیراز با حضور ۲۰۰ فیلمساز جوان", 2),
    ("پرداخت وام ضروری بازنشستگان تأمین اجتماعی از هفته آینده آغاز می‌شود؛ مبلغ وام ۳۰ میلیون تومان است", 8),
    ("کمبود پزشک متخصص در درمانگاه تأمین اجتماعی زاهدان؛ بیمه‌شدگان برای نوبت چند هفته صبر می‌کنند", 3),
)
DECORATIONS = ("", "🔴 ", "⭕️ ", "📌 ", "#فوری ", "خبر فوری | ")
ENDINGS = ("", " 👇👇", " #بازنشستگان", " #تامین_اجتماعی", " ‼️")


@dataclass
class Scenario:
    posts: list[RawPost] = field(default_factory=list)
    rumor_origin: tuple[str, str] = ("", "")
    rumor_started: datetime | None = None
    answer_at: datetime | None = None
    tip_at: datetime | None = None
    channels: tuple[tuple[str, str, str, str, bool], ...] = CHANNELS


def _signed(text: str, handle: str, rng: random.Random) -> str:
    head = rng.choice(DECORATIONS)
    tail = rng.choice(ENDINGS)
    signature = rng.choice((f"\n🆔 @{handle}", f"\n\nکانال ما 👈 t.me/{handle}", "", f"\n@{handle}"))
    return f"{head}{text}{tail}{signature}"


def _views(rng: random.Random, hostile: bool) -> int:
    return int(rng.lognormvariate(8.5 if hostile else 8.0, 0.8))


def build(now: datetime) -> Scenario:
    """The scenario ending at ``now`` (aware), in publication order."""
    rng = random.Random(SEED)  # noqa: S311  (sample data, not security)
    scenario = Scenario()
    posts: list[RawPost] = []
    counters: dict[str, int] = {}

    def next_id(source: str) -> str:
        counters[source] = counters.get(source, 1000) + 1
        return str(counters[source])

    def post(source: str, text: str, at: datetime, *, forwarded_from: str = "", hostile: bool = False) -> str:
        kind, _, handle = source.partition(":")
        post_id = next_id(source)
        url = (
            f"https://t.me/{handle}/{post_id}"
            if kind == "telegram"
            else f"https://eitaa.com/{handle}/{post_id}"
        )
        if kind == "rss":
            url = f"https://{handle}.example/news/{post_id}"
        name = {c[0]: c[1] for c in CHANNELS}.get(handle) or dict(SITES).get(handle, handle)
        posts.append(
            RawPost(
                source=source,
                post_id=post_id,
                text=text,
                published_at=at,
                url=url,
                views=_views(rng, hostile) if kind != "rss" else None,
                forwarded_from=forwarded_from,
                source_name=name,
            )
        )
        return post_id

    keys = [(f"{kind}:{handle}", hostile) for handle, _, kind, _, hostile in CHANNELS]
    # Ordinary coverage over the last six days: a site or channel breaks it, others copy it.
    for number, (text, copies) in enumerate(COVERAGE):
        start = now - timedelta(days=6) + timedelta(hours=9 * number + rng.randint(0, 5))
        site, _ = SITES[number % len(SITES)]
        post(f"rss:{site}", text, start)
        for source, hostile in rng.sample(keys, copies):
            start += timedelta(minutes=rng.randint(10, 150))
            post(source, _signed(text, source.partition(":")[2], rng), start, hostile=hostile)

    # The rumor: born in a hostile channel 30 hours ago, copied and forwarded across 36 channels.
    origin = "telegram:demo_sedaye_eteraz"
    started = now - timedelta(hours=30)
    origin_id = post(origin, RUMOR + "\n🆔 @demo_sedaye_eteraz", started, hostile=True)
    scenario.rumor_origin = (origin, origin_id)
    scenario.rumor_started = started
    spreaders = [k for k in keys if k[0] != origin]
    rng.shuffle(spreaders)
    at = started
    for index, (source, hostile) in enumerate(spreaders[:36]):
        # Fast at first (the worst case managers fear), slower after the first two hours.
        at += timedelta(minutes=rng.randint(2, 9) if index < 20 else rng.randint(10, 40))
        if index % 4 == 1:
            post(source, RUMOR, at, forwarded_from=f"{origin}/{origin_id}", hostile=hostile)
        else:
            post(source, _signed(RUMOR, source.partition(":")[2], rng), at, hostile=hostile)
    scenario.tip_at = started + timedelta(hours=2, minutes=10)
    # The answer, 6 hours after the rumor started, copied by 16 channels over the next hours.
    answer_at = started + timedelta(hours=6)
    scenario.answer_at = answer_at
    answer_text = f"{ANSWER_TITLE}\n{ANSWER_BODY}"
    owned = f"{OWNED_CHANNEL[2]}:{OWNED_CHANNEL[0]}"
    answer_id = "answer-1"
    posts.append(
        RawPost(
            source=owned,
            post_id=answer_id,
            text=answer_text,
            published_at=answer_at,
            url=f"https://t.me/{OWNED_CHANNEL[0]}",
            views=_views(rng, False),
            source_name=OWNED_CHANNEL[1],
        )
    )
    at = answer_at + timedelta(minutes=5)
    for source, _hostile in [k for k in keys if not k[1]][:16]:
        at += timedelta(minutes=rng.randint(8, 45))
        if rng.random() < 0.3:
            posts.append(
                RawPost(
                    source=source,
                    post_id=next_id(source),
                    text=answer_text,
                    published_at=at,
                    forwarded_from=f"{owned}/{answer_id}",
                    views=_views(rng, False),
                    source_name={c[0]: c[1] for c in CHANNELS}[source.partition(":")[2]],
                )
            )
        else:
            post(source, _signed(answer_text, source.partition(":")[2], rng), at)
    posts.sort(key=lambda p: p.published_at)
    scenario.posts = posts
    return scenario

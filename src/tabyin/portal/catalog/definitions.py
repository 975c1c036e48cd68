"""The default catalogue of themes, datasets and indicators for a social-security organization.

Loaded by ``catalog.services.catalog_install`` (idempotent). A deployment for another public
body edits this list or its records in the admin; nothing else in the portal is specific to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tabyin.portal.enums import Direction, Kind


@dataclass(frozen=True)
class ThemeDef:
    code: str
    name_fa: str
    name_en: str
    summary_fa: str
    order: int


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    theme: str
    name_fa: str
    name_en: str
    kind: Kind
    unit_fa: str
    unit_en: str
    what_fa: str
    why_fa: str
    how_to_read_fa: str
    direction: Direction
    source_fa: str = "سازمان تأمین اجتماعی، دفتر آمار و محاسبات اقتصادی و اجتماعی"
    numerator_fa: str = ""
    denominator_fa: str = ""
    factor: int = 1
    decimals: int = 0
    headline_order: int | None = None
    suppress_below: int | None = None
    per_capita: bool = False
    national_only: bool = False
    keywords: tuple[str, ...] = field(default_factory=tuple)


THEMES: tuple[ThemeDef, ...] = (
    ThemeDef(
        "services",
        "خدمات درمانی",
        "Services and treatment",
        "خدماتی که بیمه‌شدگان در مراکز درمانی ملکی و طرف قرارداد سازمان می‌گیرند.",
        10,
    ),
    ThemeDef(
        "coverage",
        "پوشش بیمه‌ای",
        "Insurance coverage",
        "چند نفر زیر پوشش بیمهٔ سازمان‌اند و این پوشش در استان‌ها چه اندازه است.",
        20,
    ),
    ThemeDef(
        "pensions",
        "مستمری‌ها",
        "Pensions",
        "بازنشستگان، از کارافتادگان و بازماندگان و مستمری‌ای که هر ماه پرداخت می‌شود.",
        30,
    ),
    ThemeDef(
        "finances",
        "منابع و مصارف",
        "Finances",
        "درآمد حق بیمه و دیگر منابع، هزینه‌ها، تراز و بدهی دولت به سازمان.",
        40,
    ),
    ThemeDef(
        "e-services",
        "خدمات غیرحضوری",
        "Non-in-person services",
        "درخواست‌هایی که بدون مراجعه به شعبه انجام می‌شود.",
        50,
    ),
)

DATASETS: dict[str, tuple[str, str]] = {
    "services": ("خدمات درمانی به تفکیک استان و ماه", "Treatment services by province and month"),
    "coverage": ("پوشش بیمه‌ای به تفکیک استان و ماه", "Insurance coverage by province and month"),
    "pensions": ("مستمری‌بگیران و مستمری پرداختی", "Pensioners and pensions paid"),
    "finances": ("منابع، مصارف و بدهی دولت", "Resources, expenditures and government debt"),
    "e-services": ("خدمات غیرحضوری", "Non-in-person services"),
}

I = IndicatorDef  # noqa: E741 (a short alias keeps the table below readable)

INDICATORS: tuple[IndicatorDef, ...] = (
    I(
        "outpatient-services-per-day",
        "services",
        "خدمات سرپایی در روز",
        "Outpatient services per day",
        Kind.LEVEL,
        "خدمت در روز",
        "services a day",
        "میانگین شمار خدمات سرپایی (ویزیت، دارو، آزمایش، تصویربرداری) که در یک روز ماه به بیمه‌شدگان داده شده است.",
        "نشان می‌دهد سازمان هر روز به چند نیاز درمانی پاسخ می‌دهد و فشار بر مراکز درمانی کجا بیشتر است.",
        "عدد بزرگ‌تر یعنی خدمت بیشتر؛ اما افت فروردین به‌خاطر تعطیلات نوروز است، نه کاهش خدمت.",
        Direction.NEUTRAL,
        headline_order=1,
        suppress_below=10,
        per_capita=True,
    ),
    I(
        "inpatient-services-per-day",
        "services",
        "خدمات بستری در روز",
        "Inpatient services per day",
        Kind.LEVEL,
        "پذیرش در روز",
        "admissions a day",
        "میانگین شمار پذیرش‌های بستری در بیمارستان‌های ملکی و طرف قرارداد در یک روز ماه.",
        "هزینهٔ درمان بستری بالاست؛ روند آن بار مالی درمان را نشان می‌دهد.",
        "عدد بزرگ‌تر یعنی پذیرش بیشتر؛ برای مقایسهٔ استان‌ها نمای «به ازای هر هزار نفر» را ببینید.",
        Direction.NEUTRAL,
        headline_order=2,
        suppress_below=10,
        per_capita=True,
    ),
    I(
        "bed-occupancy",
        "services",
        "ضریب اشغال تخت بیمارستان‌های ملکی",
        "Bed occupancy in owned hospitals",
        Kind.RATE,
        "درصد",
        "percent",
        "سهم روز-تخت‌های اشغال‌شده از روز-تخت‌های فعال در بیمارستان‌های ملکی سازمان.",
        "اشغال بسیار پایین یعنی ظرفیت بی‌استفاده و اشغال بسیار بالا یعنی صف و فشار بر کادر درمان.",
        "حدود ۷۵ تا ۸۵ درصد مطلوب است؛ بالاتر از ۹۰ درصد هشدار کمبود تخت است.",
        Direction.NEUTRAL,
        numerator_fa="روز-تخت اشغال‌شده",
        denominator_fa="روز-تخت فعال",
        factor=100,
        decimals=1,
    ),
    I(
        "covered-people",
        "coverage",
        "جمعیت زیر پوشش",
        "Covered people",
        Kind.LEVEL,
        "نفر",
        "people",
        "همهٔ بیمه‌شدگان اصلی، افراد تبعی آنان و مستمری‌بگیران و تبعی آنان در پایان ماه.",
        "گسترهٔ تعهد سازمان را نشان می‌دهد: چند نفر برای درمان و مستمری به سازمان تکیه دارند.",
        "افزایش یعنی پوشش گسترده‌تر؛ مقایسه با جمعیت استان را در «نرخ پوشش» ببینید.",
        Direction.HIGHER_IS_BETTER,
        headline_order=3,
    ),
    I(
        "coverage-rate",
        "coverage",
        "نرخ پوشش بیمه‌ای",
        "Coverage rate",
        Kind.RATE,
        "درصد جمعیت",
        "percent of the population",
        "سهم جمعیت زیر پوشش سازمان از کل جمعیت استان (برآورد جمعیت بر پایهٔ سرشماری ۱۳۹۵).",
        "نشان می‌دهد تأمین اجتماعی در هر استان چه اندازه از مردم را در بر می‌گیرد.",
        "بالاتر بهتر است؛ استان‌های صنعتی پوشش بیشتری دارند و استان‌های مرزی و کشاورزی کمتر.",
        Direction.HIGHER_IS_BETTER,
        numerator_fa="جمعیت زیر پوشش",
        denominator_fa="جمعیت برآوردی",
        factor=100,
        decimals=1,
    ),
    I(
        "main-insured",
        "coverage",
        "بیمه‌شدگان اصلی",
        "Main insured",
        Kind.LEVEL,
        "نفر",
        "people",
        "شمار بیمه‌شدگانی که در پایان ماه برایشان حق بیمه پرداخت شده است.",
        "پایهٔ درآمد حق بیمه و آیندهٔ صندوق بازنشستگی است.",
        "بالاتر بهتر است؛ رشد کند آن در برابر رشد مستمری‌بگیران، فشار بر صندوق را بیشتر می‌کند.",
        Direction.HIGHER_IS_BETTER,
    ),
    I(
        "pensioners",
        "pensions",
        "مستمری‌بگیران اصلی",
        "Main pensioners",
        Kind.LEVEL,
        "نفر",
        "people",
        "بازنشستگان، از کارافتادگان و بازماندگانی که در ماه مستمری گرفته‌اند (بدون افراد تبعی).",
        "تعهد بلندمدت سازمان است و هر سال سریع‌تر از شمار بیمه‌شدگان رشد می‌کند.",
        "این عدد نه خوب است نه بد؛ نسبت آن به بیمه‌شدگان اصلی را در «نسبت پشتیبانی» ببینید.",
        Direction.NEUTRAL,
        headline_order=4,
    ),
    I(
        "pensions-paid",
        "pensions",
        "مستمری پرداختی",
        "Pensions paid",
        Kind.AMOUNT,
        "میلیارد تومان",
        "billion tomans",
        "جمع مستمری پرداخت‌شده در ماه، با همهٔ کمک‌هزینه‌ها.",
        "بزرگ‌ترین بخش مصارف سازمان (حدود هفتاد درصد) است.",
        "جهش فروردین هر سال به‌خاطر افزایش سالانهٔ مستمری است.",
        Direction.NEUTRAL,
        headline_order=5,
    ),
    I(
        "support-ratio",
        "pensions",
        "نسبت پشتیبانی",
        "Support ratio",
        Kind.RATE,
        "بیمه‌شده به ازای هر مستمری‌بگیر",
        "insured per pensioner",
        "شمار بیمه‌شدگان اصلی به ازای هر مستمری‌بگیر اصلی.",
        "پایداری صندوق به این بستگی دارد که چند نفر حق بیمه می‌پردازند تا یک نفر مستمری بگیرد.",
        "بالاتر بهتر است؛ کمتر از ۵ یعنی فشار جدی بر صندوق.",
        Direction.HIGHER_IS_BETTER,
        numerator_fa="بیمه‌شدگان اصلی",
        denominator_fa="مستمری‌بگیران اصلی",
        decimals=2,
    ),
    I(
        "resources",
        "finances",
        "منابع",
        "Resources",
        Kind.AMOUNT,
        "میلیارد تومان",
        "billion tomans",
        "درآمد حق بیمه به همراه سهم دولت و دیگر منابعی که در ماه وصول شده است.",
        "نشان می‌دهد سازمان برای پرداخت تعهداتش چه اندازه پول در اختیار دارد.",
        "آن را کنار «مصارف» بخوانید؛ تفاوت این دو «تراز» است.",
        Direction.HIGHER_IS_BETTER,
        headline_order=6,
    ),
    I(
        "expenditures",
        "finances",
        "مصارف",
        "Expenditures",
        Kind.AMOUNT,
        "میلیارد تومان",
        "billion tomans",
        "هزینه‌های ماه: مستمری‌ها، درمان، کمک‌هزینه‌ها و هزینه‌های اداری.",
        "شفافیت هزینه‌ها پایهٔ اعتماد است: هر تومان حق بیمه کجا خرج می‌شود.",
        "حدود هفتاد درصد مستمری و یک‌چهارم درمان است.",
        Direction.NEUTRAL,
        headline_order=7,
    ),
    I(
        "government-debt",
        "finances",
        "بدهی دولت به سازمان",
        "Government debt to the organization",
        Kind.AMOUNT,
        "میلیارد تومان",
        "billion tomans",
        "مانده بدهی دولت به سازمان در پایان ماه (سهم سه درصدی دولت از حق بیمه و تعهدات قانونی دیگر).",
        "بدهی پرداخت‌نشده منابع سازمان را کم می‌کند و پرداخت به‌موقع مستمری را سخت‌تر می‌کند.",
        "پایین‌تر بهتر است؛ افت ناگهانی معمولاً یعنی تسویه با سهام یا اوراق.",
        Direction.LOWER_IS_BETTER,
        national_only=True,
    ),
    I(
        "online-share",
        "e-services",
        "سهم خدمات غیرحضوری",
        "Share of services done online",
        Kind.RATE,
        "درصد",
        "percent",
        "سهم درخواست‌هایی که بدون مراجعه به شعبه (در سامانه یا برنامهٔ «تأمین من») انجام شده است.",
        "هر درخواست غیرحضوری یعنی یک رفت‌وآمد کمتر به شعبه، وقت کمتر و هزینهٔ کمتر برای مردم.",
        "بالاتر بهتر است.",
        Direction.HIGHER_IS_BETTER,
        numerator_fa="درخواست‌های غیرحضوری",
        denominator_fa="همهٔ درخواست‌ها",
        factor=100,
        decimals=1,
    ),
    I(
        "online-requests",
        "e-services",
        "درخواست‌های غیرحضوری",
        "Requests done online",
        Kind.LEVEL,
        "درخواست در ماه",
        "requests a month",
        "شمار درخواست‌هایی که در ماه بدون مراجعه به شعبه انجام شده است.",
        "حجم خدمتی را نشان می‌دهد که به خانهٔ مردم برده شده است.",
        "بالاتر بهتر است.",
        Direction.HIGHER_IS_BETTER,
        suppress_below=10,
    ),
)

"""The sample reports of `tabyin demo` (made up, like every figure of the demo site).

Each sample is what a reporter would type, received ``days_ago`` days before the demo runs, and
the steps the handlers and the reporter take ``day`` days after receipt. Open reports are kept
within their category's deadline except one (the overdue example); older ones are closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Step:
    day: int
    # status, assign, note, message (to the reporter), reply (from the reporter), transfer, hold, identity
    kind: str
    text: str = ""
    by: str = ""  # the demo handler acting; default: the one of the report's first receiving unit
    unit: str = ""  # transfer: the receiving unit's code


@dataclass(frozen=True)
class Sample:
    days_ago: int
    category: str
    province: str  # ISO code, or "hq"
    place_kind: str
    place_name: str
    when: str
    what: str
    who: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    identity: str = "anonymous"
    name: str = ""
    contact: str = ""
    lists: dict[str, list[str]] = field(default_factory=dict)
    pdf: str = ""
    steps: tuple[Step, ...] = ()
    keep_code: bool = False

    def data(self) -> dict[str, str]:
        data = {
            "province": self.province,
            "place_kind": self.place_kind,
            "place_name": self.place_name,
            "when": self.when,
            "what": self.what,
            "who": self.who,
            "identity_mode": self.identity,
            "identity_name": self.name,
            "identity_contact": self.contact,
        }
        data.update({f"q_{key}": value for key, value in self.answers.items()})
        return data


REVIEW = Step(1, "status", "under_review")
ASK = (
    "سلام. گزارش شما دریافت شد و در حال بررسی است. اگر تاریخ دقیق یا شمارهٔ باجه را به یاد دارید، "
    "لطفاً در پاسخ همین پیام بنویسید. نیازی به نوشتن نام خود ندارید."
)
THANKS = "از پاسخ شما سپاسگزاریم. موضوع برای رسیدگی به کارشناس مربوط سپرده شد و نتیجه را همین‌جا اعلام می‌کنیم."

SAMPLES: tuple[Sample, ...] = (
    Sample(
        150,
        "bribery",
        "IR-23",
        "branch",
        "شعبهٔ ۱۲ تهران",
        "حدود پنج ماه پیش، ساعت ۱۰ صبح",
        "برای ثبت سابقهٔ بیمهٔ پدرم به شعبه رفتم. متصدی باجه گفت پرونده ناقص است و اگر «هزینهٔ پیگیری» "
        "بدهم همان روز درست می‌شود. مبلغ را کارت‌به‌کارت کردم و رسید آن را پیوست کرده‌ام.",
        "متصدی باجهٔ ۳ (آقا، حدوداً ۴۰ ساله)",
        {"paid": "yes", "amount": "5000000", "method": "transfer"},
        pdf="رسید-واریز.pdf",
        steps=(
            REVIEW,
            Step(1, "assign"),
            Step(2, "message", ASK),
            Step(4, "reply", "باجهٔ شمارهٔ ۳ بود، روز سه‌شنبه. رسید کارت‌به‌کارت را هم فرستاده‌ام."),
            Step(5, "note", "رسید واریز با حساب شخصی متصدی تطبیق داده شد؛ درخواست استعلام بانکی ارسال شد."),
            Step(6, "status", "investigating"),
            Step(40, "status", "closed_substantiated"),
            Step(
                40,
                "message",
                "رسیدگی به گزارش شما پایان یافت و پرونده برای اقدام قانونی به هیئت ارسال شد. "
                "سپاس از اعتماد شما.",
            ),
        ),
    ),
    Sample(
        20,
        "bribery",
        "IR-23",
        "hospital",
        "بیمارستان شهدای تهران (نمونه)",
        "هفتهٔ گذشته، هنگام ترخیص",
        "هنگام ترخیص مادرم، یکی از کارکنان واحد پذیرش گفت برای «جلو انداختن» تأیید پرونده باید جداگانه "
        "پولی به او بدهیم. ما پرداخت نکردیم و ترخیص تا عصر طول کشید.",
        "کارمند واحد پذیرش، شیفت صبح",
        {"paid": "no"},
        steps=(
            REVIEW,
            Step(2, "message", ASK),
            Step(3, "reply", "روز دوشنبه بود، باجهٔ پذیرش طبقهٔ همکف. کارمند خانم بود."),
            Step(5, "message", THANKS),
            Step(5, "status", "investigating"),
        ),
        keep_code=True,
    ),
    Sample(
        90,
        "embezzlement",
        "IR-10",
        "province_office",
        "ادارهٔ کل استان اصفهان",
        "از چند ماه پیش تاکنون",
        "خودروی اداری اداره کل، روزهای تعطیل در اختیار یکی از معاونان برای کارهای شخصی است و سوخت آن با "
        "کارت سوخت اداره پرداخت می‌شود. همکاران بارها این را دیده‌اند.",
        "یکی از معاونان اداره کل",
        {"ongoing": "yes"},
        identity="named",
        name="علی رضایی (نمونه)",
        contact="۰۹۱۲۰۰۰۰۰۰۰",
        steps=(
            Step(2, "status", "under_review"),
            Step(3, "note", "گزارش‌دهنده نام خود را داده است؛ برای مصاحبه هماهنگ شود."),
            Step(20, "status", "referred"),
            Step(50, "status", "closed_substantiated"),
            Step(50, "message", "رسیدگی پایان یافت. از همکاری شما سپاسگزاریم."),
        ),
    ),
    Sample(
        18,
        "forgery",
        "IR-23",
        "branch",
        "شعبهٔ ۵ تهران",
        "اوایل ماه جاری",
        "در شعبه سابقهٔ بیمهٔ چند کارگر برای کارگاهی ثبت شده که هرگز در آن کار نکرده‌اند. من در همان "
        "کارگاه کار می‌کنم و فهرست کارکنان واقعی را دارم.",
        "کارشناس امور بیمه‌شدگان و کارفرمای کارگاه",
        {"document": "سابقهٔ بیمهٔ کارگران یک کارگاه"},
        identity="confidential",
        name="گزارشگر محرمانه (نمونه)",
        contact="reporter@example.org",
        steps=(
            REVIEW,
            Step(
                3,
                "identity",
                "برای گرفتن فهرست کارکنان واقعی باید با گزارش‌دهنده تماس بگیریم؛ راه دیگری نیست.",
            ),
        ),
    ),
    Sample(
        60,
        "leak",
        "IR-07",
        "branch",
        "شعبهٔ ۲ شیراز",
        "دو ماه پیش",
        "پس از مراجعه به شعبه، از یک شرکت بیمهٔ تکمیلی با من تماس گرفتند که شمارهٔ تلفن و سابقهٔ بیمهٔ "
        "مرا داشتند. گفتند اطلاعات را از «همکار شعبه» گرفته‌اند.",
        answers={"personal_data": "yes"},
        steps=(
            REVIEW,
            Step(4, "status", "investigating"),
            Step(30, "status", "closed_unsubstantiated"),
            Step(
                30,
                "message",
                "بررسی شد؛ نشانه‌ای از دسترسی کارکنان شعبه به این اطلاعات پیدا نشد. "
                "اگر نشانهٔ تازه‌ای دارید بنویسید.",
            ),
        ),
    ),
    Sample(
        12,
        "service_delay",
        "IR-23",
        "branch",
        "شعبهٔ ۱۸ تهران",
        "از سه هفته پیش",
        "درخواست برقراری مستمری بازنشستگی‌ام سه هفته است بی‌پاسخ مانده و هر بار می‌گویند «سیستم قطع است».",
        answers={"service": "pension", "days": "21"},
        steps=(REVIEW,),
    ),
    Sample(
        8,
        "discrimination",
        "IR-23",
        "branch",
        "شعبهٔ ۱۲ تهران",
        "پنج‌شنبهٔ گذشته",
        "نگهبان ورودی شعبه مراجعان را تهدید کرد و گفت اگر شکایت کنند «کارشان را خراب می‌کند». چند نفر "
        "این را دیدند.",
        "نگهبان ورودی شعبه",
        steps=(
            REVIEW,
            Step(
                2,
                "transfer",
                "تهدید مراجعان در حوزهٔ حراست است؛ گزارش به حراست استان فرستاده شد.",
                unit="ir-23-security",
            ),
            Step(3, "status", "investigating"),
        ),
    ),
    Sample(
        5,
        "security",
        "IR-23",
        "province_office",
        "ادارهٔ کل استان تهران",
        "دیروز عصر",
        "در پارکینگ اداره کل فردی ناشناس از پرونده‌های کاغذی عکس می‌گرفت و گفت از طرف پیمانکار بایگانی است.",
        answers={"urgent": "yes"},
        steps=(
            Step(0, "status", "under_review"),
            Step(1, "note", "تصاویر دوربین پارکینگ درخواست شد.", by="hq.security"),
        ),
    ),
    Sample(
        3,
        "other",
        "IR-30",
        "branch",
        "شعبهٔ ۳ کرج",
        "این هفته",
        "یکی از کارکنان شعبه هم‌زمان در یک دفتر پیشخوان خصوصی کار می‌کند و مراجعان را به آنجا می‌فرستد.",
    ),
    Sample(
        120,
        "bribery",
        "IR-09",
        "branch",
        "شعبهٔ ۷ مشهد",
        "چهار ماه پیش",
        "کارمند امور کارفرمایان برای بستن پروندهٔ بدهی کارگاه ما مبلغی خواست و آن را نقدی گرفت.",
        "کارمند امور کارفرمایان",
        {"paid": "yes", "amount": "20000000", "method": "cash"},
        pdf="صورت‌حساب-بدهی.pdf",
        steps=(
            Step(2, "status", "under_review"),
            Step(10, "status", "investigating"),
            Step(45, "status", "closed_substantiated"),
            Step(46, "hold", "پرونده در دادسرا باز است و مستندات نباید حذف شود."),
        ),
    ),
    Sample(
        6,
        "service_delay",
        "IR-10",
        "hospital",
        "درمانگاه تأمین اجتماعی (نمونه)، اصفهان",
        "دو روز پیش",
        "نوبت فیزیوتراپی پدرم سه بار بدون اطلاع قبلی لغو شد و گفتند باید به مطب خصوصی همان پزشک برویم.",
        answers={"service": "treatment"},
        identity="named",
        name="مریم احمدی (نمونه)",
        contact="maryam@example.org",
        steps=(
            REVIEW,
            Step(2, "message", "سلام خانم احمدی. گزارش شما به بازرسی رسید و با درمانگاه پیگیری می‌شود."),
        ),
    ),
    Sample(
        100,
        "discrimination",
        "IR-06",
        "hospital",
        "بیمارستان تأمین اجتماعی اهواز (نمونه)",
        "سه ماه پیش",
        "در نوبت‌دهی درمانگاه، آشنایان کارکنان بدون نوبت پذیرش می‌شدند و بقیه ساعت‌ها منتظر می‌ماندند.",
        steps=(
            Step(2, "status", "under_review"),
            Step(20, "status", "closed_unsubstantiated"),
            Step(20, "message", "بررسی فهرست نوبت‌ها نشانه‌ای از پذیرش خارج از نوبت نشان نداد."),
        ),
    ),
    Sample(
        25,
        "embezzlement",
        "IR-23",
        "branch",
        "شعبهٔ ۹ تهران",
        "ماه گذشته",
        "مسئول حراست شعبه کالاهای اهدایی به بیمه‌شدگان را به خانه می‌برد. این گزارش را به حراست استان نفرستید.",
        "مسئول حراست شعبه",
        {"ongoing": "no"},
        lists={"concerns": ["security"]},
        steps=(Step(1, "status", "under_review"), Step(3, "status", "investigating")),
    ),
    Sample(
        15,
        "bribery",
        "IR-23",
        "branch",
        "شعبهٔ ۲۱ تهران",
        "دو هفته پیش",
        "برای تأیید کارت بیمهٔ تکمیلی، کارمند گفت «شیرینی» لازم است. به حراست اعتماد ندارم.",
        answers={"paid": "no"},
        lists={"excluded": ["security"]},
        steps=(
            Step(2, "status", "under_review"),
            Step(3, "message", ASK),
            Step(5, "reply", "روز شنبه، باجهٔ پذیرش بیمه‌های تکمیلی."),
        ),
    ),
    Sample(
        10,
        "leak",
        "IR-23",
        "branch",
        "شعبهٔ ۴ تهران",
        "ده روز پیش",
        "فهرست کامل کارکنان یک کارگاه با کد ملی در گروه پیام‌رسانی کارفرمایان دست‌به‌دست می‌شود.",
        answers={"personal_data": "no"},
    ),
    Sample(
        130,
        "forgery",
        "IR-03",
        "branch",
        "شعبهٔ ۶ تبریز",
        "چهار ماه پیش",
        "گواهی ازکارافتادگی برای فردی صادر شده که هر روز در کارگاه ما کار می‌کند.",
        answers={"document": "گواهی پزشکی ازکارافتادگی"},
        steps=(Step(3, "status", "under_review"), Step(60, "status", "closed_substantiated")),
    ),
    Sample(
        160,
        "service_delay",
        "IR-23",
        "branch",
        "شعبهٔ ۱۵ تهران",
        "پنج ماه پیش",
        "مقرری بیمهٔ بیکاری من دو ماه پرداخت نشده و شعبه می‌گوید پرونده گم شده است.",
        answers={"service": "unemployment", "days": "60"},
        steps=(
            REVIEW,
            Step(2, "message", "پرونده پیدا شد و مقرری این هفته پرداخت می‌شود. لطفاً نتیجه را اطلاع دهید."),
            Step(9, "status", "closed_substantiated"),
        ),
    ),
    Sample(
        70,
        "security",
        "hq",
        "hq",
        "",
        "دو ماه پیش",
        "ایمیلی با نام مدیرعامل برای کارکنان ستاد فرستاده شد و رمز سامانه‌ها را خواست.",
        answers={"urgent": "no"},
        steps=(REVIEW, Step(6, "status", "closed_unsubstantiated")),
    ),
    Sample(
        55,
        "other",
        "IR-25",
        "other",
        "",
        "دو ماه پیش",
        "یک کارمند شعبه در ساعت اداری در دفتر املاک خود کار می‌کند و شعبه بی‌متصدی می‌ماند.",
        steps=(Step(3, "status", "under_review"), Step(20, "status", "closed_unsubstantiated")),
    ),
    Sample(
        28,
        "bribery",
        "IR-23",
        "branch",
        "شعبهٔ ۳ تهران",
        "یک ماه پیش",
        "برای تقسیط بدهی کارگاه، کارمند مبلغی نقدی گرفت و گفت بدون آن تقسیط تأیید نمی‌شود.",
        "کارمند امور کارفرمایان",
        {"paid": "yes", "method": "cash"},
        identity="named",
        name="حسین کریمی (نمونه)",
        contact="۰۹۳۵۰۰۰۰۰۰۰",
        steps=(
            REVIEW,
            Step(2, "status", "investigating"),
            Step(2, "note", "گزارش‌دهنده حاضر به شهادت است."),
            Step(15, "status", "referred"),
        ),
    ),
)

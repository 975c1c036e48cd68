"""Every demo persona's "my work" after the demo loads (as `tabyin demo` does): exactly which items
each one sees on /staff/, in which order, which are overdue, and the counts in the staff menu.

Transactional: the demo's background jobs (the monitor's alerts) run when their transaction
commits, as on a real site."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from tabyin.core import demo as core_demo
from tabyin.core.models import SealedTotpDevice, User
from tests.browser.test_persian_reader import _load_demo as load_demo
from tests.conftest import verified_client

# reset_sequences: case numbers are row ids, which PostgreSQL would otherwise carry over from earlier tests.
pytestmark = [pytest.mark.django_db(transaction=True, reset_sequences=True), pytest.mark.timeout(900)]

# The seven alerts of the demo's week, none acknowledged, each past its 30-minute escalation.
ALERTS = [
    ("Acknowledge the alert: " + headline, True)
    for headline in (
        "نسخه الکترونیک در همه داروخانه\u200cهای طرف قرارداد تأمین اجتماعی در استان اصفهان فعال شد…",
        (
            "افزایش مستمری بازنشستگان تأمین اجتماعی از ابتدای ماه آینده اعمال می\u200cشود"
            " و مابه\u200cالتفاوت فروردین…"
        ),
        (
            "گلایه بیمه\u200cشدگان از صف\u200cهای طولانی در شعبه مرکزی تأمین اجتماعی مشهد؛"
            " مراجعان می\u200cگویند نوبت\u200cدهی…"
        ),
        "اعتراض کارفرمایان به افزایش نرخ حق بیمه قراردادهای پیمانکاری و درخواست بازنگری در بخشنامه",
        "سامانه سوابق بیمه\u200cای برای به\u200cروزرسانی شنبه شب از ساعت ۲۲ تا ۲ بامداد در…",
        "فوری: حقوق بازنشستگان تأمین اجتماعی ماه آینده پرداخت نمی\u200cشود؛ صندوق سازمان خالی است و…",
        "کمبود پزشک متخصص در درمانگاه تأمین اجتماعی زاهدان؛ بیمه\u200cشدگان برای نوبت چند هفته صبر…",
    )
]
# The demo's Tehran meeting promised a written answer due a week ago (reception.meetings).
COMMITMENT = (
    "Overdue meeting commitment: پاسخ کتبی به پرسش\u200cهای همسان\u200cسازی که در نشست بی\u200cپاسخ ماند",
    True,
)
# The demo campaign's second message waits for a senior manager who did not write it.
APPROVAL = ("Approve the campaign message: پرسش\u200cهای رایج دربارهٔ بیمهٔ اختیاری", False)
# The finished challenge's winners, sent by Jam'i-no to the campaigns outbox as a draft.
WINNERS = ("Approve the campaign message: برگزیدگان «نمونه: صف کمتر در شعبه\u200cها»", False)
SCORE = "Score the entry: "
BRIBERY = "Bribery or an improper demand for money"
DELAY = "Unjustified delay or failure to do people's business"
SECURITY = "A security or protection matter"
FUNDS = "Embezzlement or misuse of funds and property"
FORGERY = "Forgery or a false certificate or report"
# The request desk's demo (desk/demo.py): requests waiting for PR's first answer long past their
# service level, an accepted press response overdue, a campaign due in weeks; the HQ deputy's
# office holds PR's question and a delivered news item to rate.
DIALYSIS = ("Deliver the request: پوشش تصویری افتتاح بخش دیالیز بیمارستان شهدا", True)
CLINIC = ("Answer the request: خبر آغاز نوبت\u200cدهی اینترنتی درمانگاه تخصصی بیمارستان", True)
CLINIC_AGAIN = ("Answer the request: خبر آغاز نوبت دهی اینترنتی درمانگاه های تخصصی", True)
RUMOR = ("Deliver the request: پاسخ به شایعهٔ تعطیلی درمانگاه\u200cهای ملکی", True)
SEASONAL = ("Deliver the request: پویش اطلاع\u200cرسانی بیمهٔ کارگران فصلی در اصفهان", False)

# (items in order as (title, overdue), the menu entries that show a count with it)
EXPECTED: dict[str, tuple[list[tuple[str, bool]], dict[str, int]]] = {
    "admin": ([COMMITMENT], {"My work": 1, "Public meetings": 1}),
    "hq.analyst": (
        [CLINIC, RUMOR, CLINIC_AGAIN, COMMITMENT, *ALERTS, SEASONAL],
        {"My work": 12, "Media monitoring": 7, "Public meetings": 1, "Request desk": 4},
    ),
    "hq.manager": ([*ALERTS, WINNERS, APPROVAL], {"My work": 9, "Media monitoring": 7, "Campaigns": 2}),
    "hq.publisher": ([], {}),
    "hq.evaluator": ([], {}),
    # The content contest in its jury phase (ideas' demo): three entries to score.
    "hq.juror": (
        [
            (SCORE + "ویدیو: خیاط محله بیمه شد", False),
            (SCORE + "ویدیو: پرسش\u200cهای رایج در یک دقیقه", False),
            (SCORE + "پادکست: گفت\u200cوگو با یک راننده", False),
        ],
        {"My work": 3, "My jury reviews": 3},
    ),
    "tehran.officer": (
        [DIALYSIS, CLINIC, CLINIC_AGAIN, COMMITMENT, ("Enter the scorecard data for period 1405", False)],
        {"My work": 5, "Scorecard": 1, "Public meetings": 1, "Request desk": 3},
    ),
    "tehran.admin": ([], {}),
    "hq.security": (
        [(f"Case 8: {SECURITY}", False), (f"Case 13: {FUNDS}", False)],
        {"My work": 2, "Violation reports": 2},
    ),
    "hq.inspection": (
        [(f"Case 11: {DELAY}", False), ("Case 9: Another administrative violation", False)],
        {"My work": 2, "Violation reports": 2},
    ),
    # Cases with a reporter's unread message first (high priority), then by deadline.
    "hq.board": (
        [
            (f"Case 2: {BRIBERY}", False),
            (f"Case 14: {BRIBERY}", False),
            (f"Case 20: {BRIBERY}", False),
            (f"Case 13: {FUNDS}", False),
        ],
        {"My work": 4, "Violation reports": 4},
    ),
    "tehran.security": (
        [
            (f"Case 2: {BRIBERY}", False),
            (f"Case 20: {BRIBERY}", False),
            (f"Case 8: {SECURITY}", False),
            ("Case 15: Disclosure of confidential information or insured people's data", False),
            ("Case 7: Discrimination, favouritism or improper conduct", False),
            (f"Case 4: {FORGERY}", False),
        ],
        {"My work": 6, "Violation reports": 6},
    ),
    "tehran.inspection": (
        [(f"Case 6: {DELAY}", True), (f"Case 4: {FORGERY}", False)],
        {"My work": 2, "Violation reports": 2},
    ),
    "hq.custodian": (
        [("Decide a request to reveal a reporter's identity (case 4)", False)],
        {"My work": 1, "Identity requests": 1},
    ),
    "hq.deputy": (
        [
            ("PR asked for more information: اینفوگرافیک نسخهٔ الکترونیک برای پزشکان", False),
            ("Rate the result: خبر امضای تفاهم\u200cنامه با دانشگاه علوم پزشکی", False),
        ],
        {"My work": 2, "Request desk": 2},
    ),
}


def _seen(username: str) -> tuple[list[tuple[str, bool]], dict[str, int]]:
    user = User.objects.get(username=username)
    SealedTotpDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
    response = verified_client(user).get("/en/staff/")
    assert response.status_code == 200
    page = html.fromstring(response.content)
    items = [
        (" ".join(li.xpath("./a")[0].text_content().split()), "work-item--overdue" in li.get("class"))
        for li in page.xpath("//li[@data-testid='work-item']")
    ]
    counts = {
        (a.text or "").strip(): int(a.xpath(".//span[@data-testid='nav-count']")[0].text)
        for a in page.xpath("//nav[@class='nav']//a[.//span[@data-testid='nav-count']]")
    }
    return items, counts


def test_every_demo_persona_sees_exactly_their_waiting_work(settings: object, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    load_demo()  # every app's demo, as the Persian reader's crawl loads it

    seen = {username: _seen(username) for username, *_rest in core_demo.PERSONAS}

    assert seen == EXPECTED

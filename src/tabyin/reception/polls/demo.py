"""`tabyin demo` for comprehension polls: one sample poll attached to a real page of the
transparency site (found through core's registry, never by importing the portal), opened by HQ's
analyst, with answers from seven provinces over the last seven days, all through the services.

The answers are generated from a fixed seed, so every load gives the same figures; the poll is
marked as sample data and says so on every page. Idempotent: if a sample poll exists, nothing is
done.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from tabyin.core.models import User
from tabyin.core.registry import registry
from tabyin.reception.polls import services
from tabyin.reception.polls.enums import PollState, QuestionKind
from tabyin.reception.polls.models import Poll

TITLE = "نمونه: جهش فروردین در مستمری پرداختی را چطور فهمیدید؟"
ANNOUNCEMENT = "توضیح «جهش فروردین هر سال افزایش سالانهٔ مستمری است، نه افزایش مستمری‌بگیران»"
QUESTIONS = [
    services.QuestionSpec(
        kind=QuestionKind.CHOICE,
        text="چرا مستمری پرداختی در فروردین هر سال یک‌باره بالا می‌رود؟",
        choices=[
            "شمار مستمری‌بگیران در فروردین ناگهان زیاد می‌شود",
            "افزایش سالانهٔ مستمری‌ها از فروردین اعمال می‌شود",
            "بدهی‌های سال پیش در فروردین پرداخت می‌شود",
        ],
        correct=1,
    ),
    services.QuestionSpec(kind=QuestionKind.CLARITY, text="توضیح این صفحه چقدر روشن بود؟"),
    services.QuestionSpec(kind=QuestionKind.OPEN, text="چه چیزی در این صفحه برایتان روشن نبود؟"),
]
# (province ISO code, answers a day on average, chance of the correct option)
PROVINCES = (
    ("IR-23", 9, 0.78),
    ("IR-10", 5, 0.70),
    ("IR-09", 5, 0.62),
    ("IR-14", 4, 0.74),
    ("IR-06", 3, 0.45),
    ("IR-03", 3, 0.66),
    ("IR-11", 2, 0.40),
)
OPEN_ANSWERS = (
    "نمودار فروردین را نفهمیدم",
    "جهش نمودار فروردین گیج‌کننده بود",
    "نمودار فروردین بدون توضیح گیج‌کننده است",
    "مبلغ افزایش مستمری امسال چقدر است؟",
    "افزایش مستمری امسال چند درصد است؟",
    "درصد افزایش مستمری را هم بنویسید",
    "واحد ارقام را ننوشته بودید",
    "واحد ارقام معلوم نیست، میلیارد یا میلیون؟",
    "همه چیز روشن بود، ممنون",
)
DAYS = 7
SEED = 1405


def _target() -> str:
    """The pension figure's page if the transparency site has it, else its first indicator page."""
    provider = registry.sitemaps.get("portal")
    entries = [e for e in (provider() if provider else []) if e.url_name == "portal:indicator"]
    chosen = next((e for e in entries if e.args == ("pensions-paid",)), entries[0] if entries else None)
    if chosen is None:
        return ""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return reverse(chosen.url_name, args=chosen.args)
    except NoReverseMatch:
        return ""


def load() -> str:
    if Poll.objects.filter(is_sample=True).exists():
        return "polls: sample poll already loaded"
    analyst = User.objects.get(username="hq.analyst")
    rng = random.Random(SEED)  # noqa: S311 - sample answers, nothing secret
    with transaction.atomic():
        poll = services.poll_create(
            actor=analyst,
            title=TITLE,
            target_path=_target(),
            target_title=ANNOUNCEMENT,
            questions=QUESTIONS,
            is_sample=True,
        )
        services.poll_set_state(actor=analyst, poll=poll, state=PollState.OPEN)
        today = timezone.localdate()
        count = 0
        for back in range(DAYS, 0, -1):
            day = today - timedelta(days=back)
            for iso, per_day, right in PROVINCES:
                for _ in range(rng.randint(max(1, per_day - 2), per_day + 2)):
                    moment = timezone.make_aware(datetime.combine(day, time(8))) + timedelta(
                        minutes=rng.randrange(14 * 60)
                    )
                    answers: dict[str, object] = {
                        "q1": "1" if rng.random() < right else str(rng.choice((0, 2))),
                        "q2": str(rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 4, 6, 4))[0]),
                    }
                    if rng.random() < 0.3:
                        answers["q3"] = rng.choice(OPEN_ANSWERS)
                    services.response_submit(
                        poll=poll,
                        token=f"sample-{count}",
                        answers=answers,
                        province_iso=iso if rng.random() < 0.85 else "",
                        at=moment,
                    )
                    count += 1
    where = poll.target_path or "an announcement"
    return f"polls: 1 sample poll on {where}, {count} sample answers over {DAYS} days"

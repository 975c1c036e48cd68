"""`tabyin demo` for campaigns: the voluntary-insurance campaign for students and housewives.

Eight campaign provinces (four launch in the 13th month, four in the 15th: staggered) and six held
out, 24 months of simulated enrolments with a known effect (``EFFECT`` more a month in a campaign
province from its launch on), one message sent to every channel type (to local sinks: a local
server speaking the messenger APIs, e-mail files under the data directory, the console SMS
backend), one scheduled and one awaiting approval, and simulated clicks on our short links. All
through the services; marked as sample data; idempotent (nothing is done if it exists).
"""

from __future__ import annotations

import random
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from tabyin.campaigns.enums import Channel, MaterialKind, Segment
from tabyin.campaigns.impact import services as impact
from tabyin.campaigns.outbox import services as outbox
from tabyin.campaigns.outbox import services_delivery, services_newsletter
from tabyin.campaigns.outbox.channels.sinks import BotSink
from tabyin.campaigns.outbox.models import Subscriber
from tabyin.campaigns.plan import services as plan
from tabyin.campaigns.plan.models import Campaign
from tabyin.campaigns.plan.simulate import jalali_months, simulate
from tabyin.core.enums import UnitKind
from tabyin.core.models import OrgUnit, User

TITLE = "نمونه: بیمهٔ اختیاری برای دانشجویان و زنان خانه‌دار"
EFFECT = 40.0
SEED = 1405
# Launch index in the 24 months: four provinces start in month 13, four in month 15.
TREATED = {
    "IR-23": 12,
    "IR-10": 12,
    "IR-14": 12,
    "IR-03": 12,
    "IR-09": 14,
    "IR-08": 14,
    "IR-01": 14,
    "IR-15": 14,
}
HELD_OUT = ["IR-11", "IR-05", "IR-02", "IR-17", "IR-16", "IR-00"]
BODY = (
    "دانشجویان و زنان خانه‌دار می‌توانند با بیمهٔ اختیاری سابقهٔ بیمه و حق بازنشستگی داشته باشند. "
    "ثبت‌نام برخط است و حق بیمه را می‌توان ماهانه پرداخت کرد. "
    "برای دیدن شرایط، نرخ حق بیمه و مدارک لازم، صفحهٔ این خبر را ببینید."
)
CLICKS = {
    Channel.TELEGRAM: 312,
    Channel.BALE: 118,
    Channel.EITAA: 164,
    Channel.NEWSLETTER: 21,
    Channel.SMS: 9,
}


def load() -> str:
    if Campaign.objects.filter(is_sample=True).exists():
        return "campaigns: sample campaign already loaded"
    analyst = User.objects.get(username="hq.analyst")
    manager = User.objects.get(username="hq.manager")
    units = {u.iso_code: u for u in OrgUnit.objects.filter(kind=UnitKind.PROVINCE)}
    months = jalali_months(1403, 7, 24)
    panel = simulate(
        populations={iso: units[iso].population_2016 or 1_000_000 for iso in [*TREATED, *HELD_OUT]},
        treated_launch=TREATED,
        held_out=HELD_OUT,
        months=months,
        effect=EFFECT,
        seed=SEED,
    )
    campaign = plan.campaign_create(
        actor=analyst,
        title=TITLE,
        aim="بیشتر کردن ثبت‌نام بیمهٔ اختیاری در میان دانشجویان و زنان خانه‌دار.",
        segments=[Segment.STUDENTS, Segment.HOUSEWIVES],
        starts_on=months[12],
        ends_on=months[-1],
        outcome_name="ثبت‌نام‌های تازهٔ بیمهٔ اختیاری در ماه",
        treated={units[iso]: panel.treated[iso] for iso in TREATED},
        held_out=[units[iso] for iso in HELD_OUT],
        key_messages=[
            "بیمهٔ اختیاری برای دانشجویان و زنان خانه‌دار هم هست.",
            "ثبت‌نام برخط است و حق بیمه ماهانه پرداخت می‌شود.",
        ],
        materials=[
            plan.MaterialIn(
                kind=MaterialKind.TEXT,
                title="متن پایهٔ کارزار",
                body=(
                    "دانشجویان و زنان خانه‌دار می‌توانند برخط در بیمهٔ اختیاری ثبت‌نام کنند "
                    "و حق بیمه را ماهانه بپردازند."
                ),
            )
        ],
        is_sample=True,
    )
    plan.outcome_load(campaign=campaign, rows=[(units[iso], m, v) for iso, m, v in panel.rows])
    # Here, not only in the queued task: the demo's page shows the estimate at once.
    impact.effect_refresh(campaign_id=campaign.pk)
    for n in range(1, 41):
        Subscriber.objects.get_or_create(
            channel=Channel.NEWSLETTER,
            address=f"reader{n}@example.org",
            defaults={"token": f"sample-{n:03d}"},
        )
    Subscriber.objects.filter(channel=Channel.NEWSLETTER, address__endswith="@example.org").update(
        confirmed_at=campaign.created_at
    )
    for n in range(1, 21):
        services_newsletter.sms_subscriber_add(number=f"0912000{n:04d}")
    sent = _send_to_sinks(campaign, analyst, manager)
    rng = random.Random(SEED)  # noqa: S311 - simulated clicks
    for link in campaign.messages.get(state="released").short_links.all():
        for _ in range(CLICKS.get(Channel(link.channel), 0) + rng.randint(0, 5)):
            outbox.short_link_follow(code=link.code)
    return (
        f"campaigns: 1 sample campaign, {len(panel.rows)} simulated outcome values (true effect "
        f"{EFFECT:g} a month), 3 messages, {sent} deliveries to local sinks"
    )


def _send_to_sinks(campaign: Campaign, analyst: User, manager: User) -> int:
    """The first message goes out now to every channel; the messenger APIs are a local server,
    e-mail goes to files in the data directory, SMS to the console backend."""
    mail_dir = Path(settings.DATA_DIR) / "mail" / "campaigns-demo"
    mail_dir.mkdir(parents=True, exist_ok=True)
    with BotSink() as sink:
        chats = {f"TABYIN_CAMPAIGNS_{c}_CHAT": f"@tamin_{c.lower()}" for c in ("TELEGRAM", "BALE", "EITAA")}
        apis = {f"TABYIN_CAMPAIGNS_{c}_API_BASE": sink.url for c in ("TELEGRAM", "BALE", "EITAA")}
        tokens = {f"TABYIN_CAMPAIGNS_{c}_TOKEN": f"demo-{c.lower()}" for c in ("TELEGRAM", "BALE", "EITAA")}
        mailer = {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(mail_dir)},
        }
        # The demo runs the deliveries here and now, whatever the deployment's task mode.
        with override_settings(
            SCALED=False,
            TABYIN_TASKS_EAGER=True,
            TABYIN_SMS_BACKEND="tabyin.core.sms.console.ConsoleBackend",
            MAILERS={"default": mailer},
            **chats,
            **apis,
            **tokens,
        ):
            first = outbox.message_create(
                actor=analyst,
                campaign=campaign,
                title="بیمهٔ اختیاری، برای دانشجویان و زنان خانه‌دار هم",
                body=BODY,
                channels=list(Channel.values),
            )
            outbox.message_approve(actor=manager, message=first)
            # When the demo runs inside a transaction the queued tasks wait for its commit (after
            # this block): deliver here; the tasks then find nothing left to send.
            for channel in first.channels:
                services_delivery.deliver(message_id=first.pk, channel=channel)
        second = outbox.message_create(
            actor=analyst,
            campaign=campaign,
            title="یادآوری: مهلت ثبت‌نام بیمهٔ اختیاری",
            body="تا پایان ماه فرصت دارید بیمهٔ اختیاری را برخط ثبت کنید.",
            channels=[Channel.WEBSITE, Channel.TELEGRAM, Channel.SMS],
            send_at=campaign.created_at.replace(year=campaign.created_at.year + 1),
        )
        outbox.message_approve(actor=manager, message=second)
        outbox.message_create(
            actor=analyst,
            campaign=campaign,
            title="پرسش‌های رایج دربارهٔ بیمهٔ اختیاری",
            body="چه کسانی می‌توانند بیمهٔ اختیاری داشته باشند و حق بیمه چقدر است؟",
            channels=[Channel.WEBSITE, Channel.NEWSLETTER],
        )
        return (
            len(sink.state.received)
            + first.deliveries.filter(channel__in=["website", "newsletter", "sms"]).count()
        )

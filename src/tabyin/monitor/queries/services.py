"""Watch queries: saving them (validated by the parser), the default set, and the matcher in use.

The defaults are written here for a social-security organization: the organization with its
spelling variants, its officials by title, its services and audiences, the provinces (one query
per ``OrgUnit`` of kind province, linked to it) and a few peer organizations for share of voice.
Seeding is idempotent and never overwrites a query staff have edited.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction, UnitKind
from tabyin.core.models import OrgUnit, User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.monitor import permissions
from tabyin.monitor.enums import QueryKind
from tabyin.monitor.models import RelevanceSetting, WatchQuery
from tabyin.monitor.pipeline.query import Matcher, QuerySyntaxError, parse

MAX_POINTS = 100

# The armed forces' own social-security organization (ساتا) is a peer, not us.
ORGANIZATION = '("سازمان تأمین اجتماعی" | "تأمین اجتماعی" | "تامين اجتماعي") -"تأمین اجتماعی نیروهای مسلح"'
DEFAULTS: tuple[tuple[str, str, str], ...] = (
    (QueryKind.ORGANIZATION, "سازمان تأمین اجتماعی", ORGANIZATION),
    (
        QueryKind.OFFICIAL,
        "مدیرعامل سازمان تأمین اجتماعی",
        '"مدیرعامل سازمان تأمین اجتماعی" | "مدیر عامل تأمین اجتماعی" | ("مدیرعامل" "تأمین اجتماعی")',
    ),
    (QueryKind.OFFICIAL, "معاونان سازمان", '(معاون | معاونت | "هیئت مدیره") "تأمین اجتماعی"'),
    (QueryKind.OFFICIAL, "مدیران کل استان‌ها", '("مدیرکل" | "اداره کل") "تأمین اجتماعی" استان'),
    (QueryKind.OFFICIAL, "وزیر تعاون، کار و رفاه اجتماعی", '"وزیر تعاون" | "وزیر کار" | "وزارت تعاون"'),
    (QueryKind.SERVICE, "حق بیمه", '"حق بیمه"'),
    (QueryKind.SERVICE, "مستمری", "مستمری | مستمری‌ها | مستمریها"),
    (QueryKind.SERVICE, "همسان‌سازی و متناسب‌سازی", '"همسان سازی" | "متناسب سازی"'),
    (QueryKind.SERVICE, "افزایش حقوق بازنشستگان", '"افزایش حقوق" (بازنشستگان | مستمری‌بگیران)'),
    (QueryKind.SERVICE, "بیمه بیکاری", '"بیمه بیکاری" | "مقرری بیکاری"'),
    (QueryKind.SERVICE, "نسخه الکترونیک", '"نسخه الکترونیک" | "نسخه الکترونیکی" | "نسخه نویسی الکترونیک"'),
    (QueryKind.SERVICE, "دفترچه بیمه", '"دفترچه بیمه" | "دفترچه درمانی"'),
    (QueryKind.SERVICE, "بیمه تکمیلی", '"بیمه تکمیلی"'),
    (QueryKind.SERVICE, "سابقه بیمه", '"سابقه بیمه" | "سوابق بیمه"'),
    (QueryKind.SERVICE, "بیمه اختیاری و مشاغل آزاد", '"بیمه اختیاری" | "بیمه مشاغل آزاد"'),
    (QueryKind.SERVICE, "درمان بیمه‌شدگان", '("بیمارستان" | "درمانگاه" | درمان) "تأمین اجتماعی"'),
    (QueryKind.TOPIC, "بازنشستگان", "بازنشستگان | بازنشسته | مستمری‌بگیران"),
    (QueryKind.TOPIC, "بیمه‌شدگان", "بیمه‌شدگان | بیمه‌شده"),
    (QueryKind.TOPIC, "کارفرمایان", "کارفرمایان | کارفرما"),
    (QueryKind.PEER, "سازمان بیمه سلامت", '"بیمه سلامت" | "بیمه خدمات درمانی"'),
    (QueryKind.PEER, "صندوق بازنشستگی کشوری", '"صندوق بازنشستگی کشوری"'),
    (
        QueryKind.PEER,
        "سازمان تأمین اجتماعی نیروهای مسلح (ساتا)",
        '"تأمین اجتماعی نیروهای مسلح" | ساتا | "بازنشستگی نیروهای مسلح"',
    ),
    (QueryKind.PEER, "سازمان بهزیستی", '"سازمان بهزیستی" | "بهزیستی کشور"'),
)

# Per province (ISO code): the centre and other spellings. Names that are also ordinary words or
# other things (مرکزی: بانک مرکزی, فارس: خبرگزاری فارس, گلستان, البرز) are searched only as
# «استان …» or by their centre.
PROVINCE_WORDS: dict[str, tuple[tuple[str, ...], bool]] = {
    "IR-00": (("اراک",), True),
    "IR-01": (("رشت",), False),
    "IR-02": (("ساری",), False),
    "IR-03": (("تبریز", "آذربایجان‌شرقی"), False),
    "IR-04": (("ارومیه", "آذربایجان‌غربی"), False),
    "IR-05": ((), False),
    "IR-06": (("اهواز",), False),
    "IR-07": (("شیراز",), True),
    "IR-08": ((), False),
    "IR-09": (("مشهد",), False),
    "IR-10": ((), False),
    "IR-11": (("زاهدان", "سیستان"), False),
    "IR-12": (("سنندج",), False),
    "IR-13": ((), False),
    "IR-14": (("شهرکرد",), False),
    "IR-15": (("خرم‌آباد",), False),
    "IR-16": ((), False),
    "IR-17": (("یاسوج", "کهکیلویه و بویراحمد"), False),
    "IR-18": ((), False),
    "IR-19": ((), False),
    "IR-20": ((), False),
    "IR-21": ((), False),
    "IR-22": (("بندرعباس",), False),
    "IR-23": ((), False),
    "IR-24": ((), False),
    "IR-25": ((), False),
    "IR-26": ((), False),
    "IR-27": (("گرگان",), True),
    "IR-28": (("بجنورد",), False),
    "IR-29": (("بیرجند",), False),
    "IR-30": (("کرج",), True),
}


def _quoted(words: str) -> str:
    return f'"{words}"'


def province_expression(unit: OrgUnit) -> str:
    extra, ambiguous = PROVINCE_WORDS.get(unit.iso_code, ((), False))
    names = [f"استان {unit.name_fa}", *([] if ambiguous else [unit.name_fa]), *extra]
    return " | ".join(_quoted(name) for name in dict.fromkeys(names))


def _validated(expression: str) -> str:
    expression = expression.strip()
    try:
        parse(expression)
    except QuerySyntaxError as error:
        raise ValidationError({"expression": str(error)}) from None
    return expression


def _snapshot(query: WatchQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "kind": query.kind,
        "expression": query.expression,
        "province": query.province_id,
        "is_active": query.is_active,
        "weight": query.weight,
    }


@transaction.atomic
def query_save(
    *,
    actor: User,
    name: str,
    kind: str,
    expression: str,
    province: OrgUnit | None = None,
    is_active: bool = True,
    weight: int | None = None,
    query: WatchQuery | None = None,
) -> WatchQuery:
    """Create a watch query or change ``query``; the expression must parse. ``weight``: its relevance
    points (None: the kind's default, see ``pipeline.relevance``)."""
    permissions.require(permissions.can_configure(scope_for(actor)), "only analysts and administrators")
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("This field is required.")
    if kind not in QueryKind.values:
        errors["kind"] = _("Choose a kind.")
    if kind == QueryKind.PROVINCE and province is None:
        errors["province"] = _("A province query needs its province.")
    if weight is not None and not 0 <= weight <= MAX_POINTS:
        errors["weight"] = _("Give a number of points from 0 to %(n)d, or leave it empty.") % {
            "n": MAX_POINTS
        }
    if errors:
        raise ValidationError(errors)
    expression = _validated(expression)
    before = _snapshot(query) if query else {}
    target = query or WatchQuery()
    target.name, target.kind, target.expression = name.strip(), kind, expression
    target.province, target.is_active, target.weight = province, is_active, weight
    target.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if query else AuditAction.CREATE,
        obj=target,
        before=before,
        after=_snapshot(target),
    )
    return target


@transaction.atomic
def relevance_threshold_set(*, actor: User, threshold: int) -> RelevanceSetting:
    """Store the points a post needs to count as a mention of the organization (audited)."""
    permissions.require(permissions.can_configure(scope_for(actor)), "only analysts and administrators")
    if not 1 <= threshold <= MAX_POINTS:
        raise ValidationError(
            {"threshold": _("Give a number of points from 1 to %(n)d.") % {"n": MAX_POINTS}}
        )
    row = RelevanceSetting.objects.order_by("-pk").first()
    before = {"threshold": row.threshold} if row else {}
    row = row or RelevanceSetting()
    row.threshold, row.updated_by = threshold, actor
    row.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=row,
        before=before,
        after={"threshold": threshold},
    )
    return row


@transaction.atomic
def queries_seed_defaults() -> int:
    """Create the default queries that do not exist yet (by kind and name; provinces by unit)."""
    existing = set(WatchQuery.objects.values_list("kind", "name"))
    have_province = set(
        WatchQuery.objects.filter(kind=QueryKind.PROVINCE).values_list("province_id", flat=True)
    )
    rows = [
        WatchQuery(kind=kind, name=name, expression=expression)
        for kind, name, expression in DEFAULTS
        if (kind, name) not in existing
    ]
    for unit in OrgUnit.objects.filter(kind=UnitKind.PROVINCE).order_by("code"):
        if unit.pk not in have_province:
            rows.append(
                WatchQuery(
                    kind=QueryKind.PROVINCE,
                    name=unit.name_fa,
                    expression=province_expression(unit),
                    province=unit,
                )
            )
    WatchQuery.objects.bulk_create(rows)
    return len(rows)


_lock = threading.Lock()
_matcher: dict[str, tuple[tuple[Any, ...], Matcher]] = {}


def matcher_current() -> Matcher:
    """A matcher over the active queries, rebuilt when a query is added, changed or deleted."""
    # The highest id too: a query deleted and another added within one clock tick (or rows rolled
    # back and made again, as between tests on PostgreSQL) leave the count and the time unchanged.
    version = tuple(WatchQuery.objects.aggregate(n=Count("id"), at=Max("updated_at"), top=Max("id")).values())
    with _lock:
        cached = _matcher.get("current")
        if cached is not None and cached[0] == version:
            return cached[1]
    matcher = Matcher(list(WatchQuery.objects.filter(is_active=True).values_list("id", "expression")))
    with _lock:
        _matcher["current"] = (version, matcher)
    return matcher

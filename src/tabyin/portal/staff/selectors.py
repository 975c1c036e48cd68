"""Scoped reads behind the portal's staff pages (explanations and releases).

Public reads are in ``selectors``; these are for staff only, and each one checks the permission
and restricts to the user's scope itself, so no view can forget to.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Func, IntegerField, Q, QuerySet
from django.utils import timezone

from tabyin.core import selectors as core_selectors
from tabyin.core.jalali import period_bounds, period_code
from tabyin.core.models import OrgUnit, User
from tabyin.core.permissions import require
from tabyin.core.scoping import scope_for
from tabyin.portal import permissions
from tabyin.portal.enums import NATIONAL, ExplanationState, Kind
from tabyin.portal.explanations.services import OPEN_STATES, may_draft_for, province_of
from tabyin.portal.models import Dataset, Explanation, Indicator, Release

TEMPLATE_COLUMNS = ("indicator", "area", "period", "value", "numerator", "denominator")

# --- Explanations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actions:
    """What the acting user may do with one version: the buttons of the staff page."""

    edit: bool
    new_version: bool
    submit: bool
    approve: bool
    send_back: bool


def explanation_actions(*, actor: User, explanation: Explanation, newest: bool) -> Actions:
    scope = scope_for(actor)
    province = province_of(explanation)
    drafter = may_draft_for(scope, province)
    reviewer = permissions.can_review_explanations(scope)
    state = explanation.state
    in_review = state == ExplanationState.IN_REVIEW
    return Actions(
        edit=drafter and state in OPEN_STATES,
        new_version=drafter and state == ExplanationState.PUBLISHED and newest,
        submit=drafter and state in OPEN_STATES,
        approve=reviewer and in_review and explanation.author_id != actor.pk,
        send_back=reviewer and in_review,
    )


def can_draft(*, actor: User) -> bool:
    return permissions.can_draft_explanations(scope_for(actor))


def drafting_areas(*, actor: User) -> list[tuple[str, OrgUnit | None]]:
    """Areas the user may write about: every area for national staff, their province(s) otherwise."""
    scope = scope_for(actor)
    require(permissions.can_draft_explanations(scope), "you may not write explanations")
    provinces: list[tuple[str, OrgUnit | None]] = [
        (p.iso_code, p) for p in core_selectors.provinces() if may_draft_for(scope, p)
    ]
    return ([("", None), (NATIONAL, None)] if scope.national else []) + provinces


def explanations_for_staff(
    *, actor: User, state: str = "", kind: str = "", indicator: Indicator | None = None
) -> QuerySet[Explanation]:
    """National staff see every version; provincial staff their province's and their own threads."""
    scope = scope_for(actor)
    require(
        permissions.can_draft_explanations(scope) or permissions.can_review_explanations(scope),
        "you may not work on explanations",
    )
    versions = Explanation.objects.select_related("indicator", "author", "reviewer")
    versions = versions.order_by("-thread", "-version")
    if state:
        versions = versions.filter(state=state)
    if kind:
        versions = versions.filter(kind=kind)
    if indicator is not None:
        versions = versions.filter(indicator=indicator)
    if scope.national:
        return versions
    areas = core_selectors.provinces().filter(pk__in=scope.province_ids).values("iso_code")
    authored = Explanation.objects.filter(author=actor).values("thread")
    return versions.filter(Q(area__in=areas) | Q(thread__in=authored))


def province_names(*, language: str) -> dict[str, str]:
    """ISO code -> province name, to label explanations' areas (one query)."""
    return {p.iso_code: p.name(language) for p in core_selectors.provinces()}


def explanation_state_counts(*, actor: User) -> dict[str, int]:
    """Versions per state in the user's scope (one query), for the list page."""
    rows = explanations_for_staff(actor=actor).order_by().values_list("state").annotate(n=Count("pk"))
    counts = dict.fromkeys(ExplanationState.values, 0)
    counts.update({str(state): n for state, n in rows})
    return counts


def explanation_history(*, actor: User, explanation: Explanation) -> list[Explanation]:
    """Every version of the explanation's thread the user may see, newest first."""
    return list(explanations_for_staff(actor=actor).filter(thread=explanation.thread))


# --- Releases ----------------------------------------------------------------------------------


class _ErrorCount(Func):
    """Entries in ``report["errors"]``, counted by the database so the list never loads reports."""

    output_field = IntegerField()
    template = "COALESCE(JSON_LENGTH(%(expressions)s, '$.errors'), 0)"  # MySQL, MariaDB

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="COALESCE(json_array_length(%(expressions)s, '$.errors'), 0)"
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="COALESCE(jsonb_array_length(%(expressions)s -> 'errors'), 0)"
        )


def require_data_publisher(*, actor: User) -> None:
    require(permissions.can_publish_data(scope_for(actor)), "only data publishers manage releases")


def releases_for_staff(*, actor: User) -> QuerySet[Release]:
    """Every release of every dataset, newest first, with ``error_count`` and without the report."""
    require_data_publisher(actor=actor)
    return (
        Release.objects.select_related("dataset")
        .defer("report")
        .annotate(error_count=_ErrorCount("report"))
        .order_by("-created_at", "-id")
    )


def release_for_staff(*, actor: User, pk: int) -> Release:
    """One release with its report; ``Release.DoesNotExist`` when there is none."""
    require_data_publisher(actor=actor)
    return Release.objects.select_related("dataset", "created_by", "published_by").get(pk=pk)


def _example(indicator: Indicator) -> tuple[str, str, str]:
    """An example value (with numerator and denominator for a rate) of the right shape."""
    if indicator.kind != Kind.RATE:
        return "1000", "", ""
    numerator, denominator = Decimal(45), Decimal(60)
    value = (numerator / denominator * indicator.factor).quantize(Decimal(1).scaleb(-indicator.decimals))
    return str(value), str(numerator), str(denominator)


def release_template_csv(*, actor: User, dataset: Dataset, today: date | None = None) -> bytes:
    """The upload template of a dataset: the header row and one example row per indicator.

    The example rows are for last month, for the whole country; replace them with real figures.
    """
    require_data_publisher(actor=actor)
    today = today or timezone.localdate()
    last_month = period_code(period_bounds(period_code(today))[0] - timedelta(days=1))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TEMPLATE_COLUMNS)
    for indicator in dataset.indicators.order_by("code"):
        writer.writerow((indicator.code, NATIONAL, last_month, *_example(indicator)))
    return out.getvalue().encode("utf-8")

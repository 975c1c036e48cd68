"""The scorecard on the transparency site: the published periods, a period's ranking, one
province's scores and the method in plain words.

Only published and final periods exist here. Any other code answers 404 exactly like a code that
was never used, so the pages do not even tell that an unpublished period exists; for the same
reason a rank change compares with the previous *published* period of the same kind, never with a
run that is still under review.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from tabyin.core import selectors as core_selectors
from tabyin.core.http import page_language
from tabyin.core.models import OrgUnit
from tabyin.core.persian_text import digits_to_ascii
from tabyin.scorecard import display, scoring, selectors
from tabyin.scorecard.enums import PeerGroup, PeriodState
from tabyin.scorecard.exports.tables import band_names, decimal, local, period_name
from tabyin.scorecard.framework import selectors as selectors_framework
from tabyin.scorecard.framework.selectors import plain
from tabyin.scorecard.models import Framework, Indicator, Period, ScoreRun

BAND_CLASSES = 5  # scp-band-1 … scp-band-5 in scorecard.css, highest cut-off first


@dataclass(frozen=True)
class BandView:
    code: str
    name: str
    min: Decimal
    css: str


@dataclass(frozen=True)
class MainView:
    code: str
    name: str
    weight: Decimal | None
    share: Decimal | None  # percent of the total's weight


@dataclass
class Row:
    """One province in a period's ranking, as the public pages show it."""

    iso: str
    name: str
    rank: int | None
    tied: bool
    total: Decimal | None
    band: BandView | None
    peer_group: str
    peer_group_name: str
    peer_rank: int | None
    rank_low: int | None
    rank_high: int | None
    stable: bool
    previous_rank: int | None
    mains: list[Decimal | None]  # in the order of the framework's main indicators
    by_code: dict[str, Decimal | None] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    @property
    def change(self) -> int | None:
        """Places gained since the previous published period (negative: places lost)."""
        if self.previous_rank is None or self.rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def trend(self) -> display.Trend | None:
        return display.rank_trend(self.change)


# --- Reads ----------------------------------------------------------------------------------------


def _public_period(code: str) -> tuple[Period, ScoreRun]:
    """The published or final period with this code and its current run, or 404."""
    code = digits_to_ascii(code or "").strip().upper()
    period = selectors.period_by_code(code) if len(code) <= 16 else None
    if period is None or period.state not in selectors.PUBLIC_STATES:
        raise Http404
    run = selectors.current_run(period)
    if run is None:
        raise Http404
    return period, run


def _previous_public(period: Period, published: list[Period]) -> Period | None:
    earlier = [
        p for p in published if p.kind == period.kind and (p.year, p.part) < (period.year, period.part)
    ]
    return max(earlier, key=lambda p: (p.year, p.part), default=None)


def _mains(framework: Framework, language: str) -> list[MainView]:
    return [
        MainView(m.indicator.code, local(m.indicator, "name", language), m.weight, plain(m.share))
        for m in selectors_framework.framework_table(framework)
    ]


def _bands(framework: Framework, language: str) -> list[BandView]:
    names = band_names(framework.bands, language)
    ordered = sorted(framework.bands, key=lambda b: -Decimal(str(b["min"])))
    return [
        BandView(
            str(b["code"]), names[str(b["code"])], Decimal(str(b["min"])), f"scp-band-{min(i, BAND_CLASSES)}"
        )
        for i, b in enumerate(ordered, start=1)
    ]


def _rows(
    period: Period, mains: list[MainView], bands: list[BandView], language: str, before: dict[str, int | None]
) -> list[Row]:
    ranking = selectors.ranking(None, period)
    by_code = {b.code: b for b in bands}
    ties = Counter(r.result.rank for r in ranking if r.result.rank is not None)
    groups = dict(PeerGroup.choices)
    rows = []
    for r in ranking:
        result = r.result
        rows.append(
            Row(
                iso=r.province.iso_code,
                name=local(r.province, "name", language),
                rank=result.rank,
                tied=result.rank is not None and ties[result.rank] > 1,
                total=result.total,
                band=by_code.get(result.band),
                peer_group=result.peer_group,
                peer_group_name=str(groups.get(result.peer_group, "")),
                peer_rank=result.peer_rank,
                rank_low=result.rank_low,
                rank_high=result.rank_high,
                stable=result.stable,
                # Not RankRow.previous_rank: that may come from a run still under review.
                previous_rank=before.get(r.province.iso_code),
                mains=[decimal(result.main_scores.get(m.code)) for m in mains],
                by_code={code: decimal(v) for code, v in result.main_scores.items()},
                flags=list(result.flags),
            )
        )
    return rows


def _period_context(period: Period, run: ScoreRun, language: str) -> dict[str, Any]:
    published = list(selectors.public_periods())
    previous = _previous_public(period, published)
    mains = _mains(run.framework, language)
    bands = _bands(run.framework, language)
    previous_rows: dict[str, Row] = {}
    prev_run = selectors.current_run(previous) if previous is not None else None
    if previous is not None and prev_run is not None:
        if prev_run.framework_id != run.framework_id:
            prev_mains, prev_bands = (
                _mains(prev_run.framework, language),
                _bands(prev_run.framework, language),
            )
        else:
            prev_mains, prev_bands = mains, bands
        previous_rows = {r.iso: r for r in _rows(previous, prev_mains, prev_bands, language, {})}
    rows = _rows(period, mains, bands, language, {iso: r.rank for iso, r in previous_rows.items()})
    counts = Counter(r.band.code for r in rows if r.band)
    return {
        "period": period,
        "title": period_name(period),
        "run": run,
        "framework": run.framework,
        "framework_name": local(run.framework, "name", language),
        "previous": previous,
        "previous_title": period_name(previous) if previous else "",
        "previous_rows": previous_rows,
        "mains": mains,
        "bands": bands,
        "band_counts": [(b, counts.get(b.code, 0)) for b in bands],
        "rows": rows,
        "unstable": sum(1 for r in rows if r.rank is not None and not r.stable),
        "in_appeal": period.state == PeriodState.PUBLISHED
        and (period.appeal_until is None or timezone.now() <= period.appeal_until),
    }


# --- Pages ----------------------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    language = page_language()
    published = list(selectors.public_periods())
    context: dict[str, Any] = {
        "periods": [(p, period_name(p)) for p in published],
        "latest": None,
    }
    for period in published:  # the newest that has a current run (all of them, in practice)
        run = selectors.current_run(period)
        if run is not None:
            context["latest"] = _period_context(period, run, language)
            break
    return render(request, "scorecard/public/index.html", context)


@require_safe
def period_page(request: HttpRequest, code: str) -> HttpResponse:
    period, run = _public_period(code)
    context = _period_context(period, run, page_language())
    return render(request, "scorecard/public/period.html", context)


@dataclass(frozen=True)
class MainScore:
    main: MainView
    score: Decimal | None
    previous: Decimal | None

    @property
    def bar(self) -> str:
        """The bar's length in the 0–100 drawing (an SVG attribute, never an inline style)."""
        value = Decimal(0) if self.score is None else max(Decimal(0), min(Decimal(100), self.score))
        return f"{value:.2f}"


def _province(iso: str) -> OrgUnit:
    iso = digits_to_ascii(iso or "").strip().upper()
    province = core_selectors.province_by_iso(iso) if len(iso) <= 8 else None
    if province is None:
        raise Http404
    return province


def _flagged(flags: list[str], kind: str, names: dict[str, str]) -> list[tuple[str, str]]:
    """The indicators behind the engine's flags (``not_reported:S03``), with their names."""
    codes = [f.split(":", 1)[1] for f in flags if f.startswith(f"{kind}:")]
    return [(c, names.get(c, c)) for c in codes]


@require_safe
def province_page(request: HttpRequest, code: str, iso: str) -> HttpResponse:
    language = page_language()
    period, run = _public_period(code)
    province = _province(iso)
    context = _period_context(period, run, language)
    row = next((r for r in context["rows"] if r.iso == province.iso_code), None)
    if row is None:
        raise Http404
    before: Row | None = context["previous_rows"].get(province.iso_code)
    subs = {
        i.code: local(i, "name", language)
        for i in Indicator.objects.filter(framework=run.framework, parent__isnull=False)
    }
    mains = {m.code: m.name for m in context["mains"]}
    context.update(
        {
            "row": row,
            "before": before,
            "name": row.name,
            "scores": [
                MainScore(m, s, before.by_code.get(m.code) if before else None)
                for m, s in zip(context["mains"], row.mains, strict=True)
            ],
            "not_reported": _flagged(row.flags, "not_reported", subs),
            "excluded": _flagged(row.flags, "excluded", mains),
            "count": len(context["rows"]),
        }
    )
    return render(request, "scorecard/public/province.html", context)


@require_safe
def method(request: HttpRequest) -> HttpResponse:
    """The method, with the framework and cut-offs of the latest published period (none before
    the first publication: a draft framework is not public)."""
    language = page_language()
    spread = Decimal(str(scoring.WEIGHT_SPREAD))
    context: dict[str, Any] = {
        "framework": None,
        "draws": settings.TABYIN_SCORECARD_DRAWS,
        "weight_low": 1 - spread,
        "weight_high": 1 + spread,
        "unstable_width": scoring.UNSTABLE_WIDTH,
    }
    for period in selectors.public_periods():
        run = selectors.current_run(period)
        if run is None:
            continue
        framework = run.framework
        table = selectors_framework.framework_table(framework)
        context.update(
            {
                "period": period,
                "title": period_name(period),
                "framework": framework,
                "framework_name": local(framework, "name", language),
                "table": [
                    (
                        local(m.indicator, "name", language),
                        m,
                        plain(m.share),
                        [(local(s.indicator, "name", language), s, plain(s.share)) for s in m.subs],
                    )
                    for m in table
                ],
                "sub_count": sum(len(m.subs) for m in table),
                "bands": _bands(framework, language),
                "draws": run.draws,
                "seed": run.seed,
                "weight_low": 1 - Decimal(str(run.params.get("weight_spread", spread))),
                "weight_high": 1 + Decimal(str(run.params.get("weight_spread", spread))),
                "unstable_width": run.params.get("unstable_width", scoring.UNSTABLE_WIDTH),
            }
        )
        break
    return render(request, "scorecard/public/method.html", context)

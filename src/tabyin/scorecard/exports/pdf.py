"""PDF of a period's ranking and of one province's scorecard, drawn by WeasyPrint from Django
templates (``scorecard/pdf/``): Pango and HarfBuzz shape Persian correctly, which no PDF library
that draws glyph by glyph does.

Nothing is fetched from the network (see ``tabyin.core.files.pdf``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tabyin.core.demo import is_demo
from tabyin.core.files import pdf as core_pdf
from tabyin.scorecard import display
from tabyin.scorecard.enums import PeerGroup
from tabyin.scorecard.exports.tables import band_names, decimal, local, period_name, period_table
from tabyin.scorecard.framework import selectors as selectors_framework
from tabyin.scorecard.models import Period
from tabyin.scorecard.selectors import PUBLIC_STATES, Card


def render_pdf(template: str, context: dict[str, Any], language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(
            template,
            {
                **context,
                "fonts": core_pdf.font_uris(),
                "language": language,
                "rtl": language == "fa",
                "site_name": settings.TABYIN_SITE_NAME,
                # A file leaves the site: it must say by itself that its figures are samples.
                "demo_mode": is_demo(),
                "generated_at": timezone.now(),
            },
        )
    return core_pdf.html_to_pdf(html)


def period_pdf(period: Period, language: str) -> bytes:
    """The ranking, the main-indicator scores of every province, the band cut-offs and the run's
    parameters, on landscape pages. A period not yet published is marked as a draft for review."""
    table = period_table(period)
    with translation.override(language):
        names = band_names(table.bands, language)
        groups = {str(k): str(v) for k, v in PeerGroup.choices}
        context = {
            "period": period,
            "title": period_name(period),
            "public": period.state in PUBLIC_STATES,
            "table": table,
            "framework_name": local(table.framework, "name", language),
            "mains": [(m.code, local(m, "name", language)) for m in table.mains],
            "bands": [(names[str(b["code"])], decimal(b["min"])) for b in table.bands],
            "rows": [
                {
                    "result": r,
                    "name": local(r.province, "name", language),
                    "band": names.get(r.band, r.band),
                    "peer_group": groups.get(r.peer_group, ""),
                    "mains": [decimal(r.main_scores.get(m.code)) for m in table.mains],
                    "not_reported": sum(1 for f in r.flags if f.startswith("not_reported:")),
                }
                for r in table.results
            ],
        }
    return render_pdf("scorecard/pdf/period.html", context, language)


def province_pdf(card: Card, language: str) -> bytes:
    """One province's scorecard as the caller may see it (``selectors.province_card``): every
    value with its status and score, main-indicator scores with bars, and the result."""
    with translation.override(language):
        framework = card.period.framework
        result = card.result if card.results_visible else None
        previous = card.previous_result if card.results_visible else None
        mains = [
            {
                "row": m,
                "name": local(m.indicator, "name", language),
                "bar": f"{max(0, min(100, m.score)):.2f}" if m.score is not None else None,
                "subs": [
                    {
                        "row": s,
                        "name": local(s.indicator, "name", language),
                        "value": display.stored_text(s.indicator, s.effective),
                        "corrected": bool(s.corrections),
                        "evidence": len(s.evidence),
                        "measured": selectors_framework.plain(s.score.measured) if s.score else None,
                    }
                    for s in m.subs
                ],
            }
            for m in card.mains
        ]
        context = {
            "card": card,
            "period": card.period,
            "title": period_name(card.period),
            "public": card.period.state in PUBLIC_STATES,
            "province": local(card.submission.province, "name", language),
            "framework_name": local(framework, "name", language),
            "result": result,
            "previous": previous,
            "band": display.band_name(framework, result.band) if result else "",
            "peer_group": dict(PeerGroup.choices).get(result.peer_group, "") if result else "",
            "mains": mains,
        }
    return render_pdf("scorecard/pdf/province.html", context, language)

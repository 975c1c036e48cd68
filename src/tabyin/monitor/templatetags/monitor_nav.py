"""The monitor's menus, shown on every monitor staff page: its sections and, inside a section,
the section's pages. Each link is shown only to a person who may open it
(``permissions.may_open``), so no menu leads to a refusal."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions

register = template.Library()

# (URL name, label, URL names that belong to the section). Labels are marked where they are
# written, so that makemessages finds them.
SECTIONS: tuple[tuple[str, Promise, tuple[str, ...]], ...] = (
    ("dashboard", _("Dashboard"), ("dashboard",)),
    ("stories", _("Stories"), ("stories", "story")),
    ("alerts", _("Alerts"), ("alerts", "alert-rules", "alert-rule-add", "alert-rule-edit")),
    ("responses", _("Rumors and answers"), ("responses", "response")),
    ("briefs", _("Daily briefs"), ("briefs", "brief")),
    ("sources", _("Media sources"), ("sources", "source", "source-add", "paste")),
    ("queries", _("Watch queries"), ("queries", "query-add", "query-edit", "query-try")),
    ("sentiment-review", _("Label sentiment"), ("sentiment-review",)),
)

# A section's own pages: (menu label, [(URL name, link text, URL names it is current on)]).
SUBSECTIONS: dict[str, tuple[Promise, tuple[tuple[str, Promise, tuple[str, ...]], ...]]] = {
    "alerts": (
        _("Alerts"),
        (
            ("alerts", _("Alerts"), ("alerts",)),
            ("alert-rules", _("Alert rules"), ("alert-rules", "alert-rule-add", "alert-rule-edit")),
        ),
    ),
    "sources": (
        _("Sources"),
        (
            ("sources", _("Source health"), ("sources", "source")),
            ("source-add", _("Add a source"), ("source-add",)),
            ("paste", _("Paste a text or link"), ("paste",)),
        ),
    ),
    "queries": (
        _("Watch queries"),
        (
            ("queries", _("Watch queries"), ("queries", "query-edit")),
            ("query-add", _("Add a watch query"), ("query-add",)),
            ("query-try", _("Try on a text"), ("query-try",)),
        ),
    ),
}


def _links(
    context: template.Context, entries: tuple[tuple[str, Promise, tuple[str, ...]], ...]
) -> list[tuple[str, str, bool]]:
    request = context["request"]
    user: User = request.user
    scope = scope_for(user)
    current = request.resolver_match.url_name if request.resolver_match else ""
    return [
        (f"monitor:{name}", str(label), current in members)
        for name, label, members in entries
        if permissions.may_open(scope, name)
    ]


@register.inclusion_tag("monitor/staff/_nav.html", takes_context=True)
def monitor_nav(context: template.Context) -> dict[str, object]:
    return {"sections": _links(context, SECTIONS), "label": _("Media monitoring")}


@register.inclusion_tag("monitor/staff/_nav.html", takes_context=True)
def monitor_subnav(context: template.Context, section: str) -> dict[str, object]:
    """A section's pages; nothing when the person may open only one of them."""
    label, entries = SUBSECTIONS[section]
    links = _links(context, entries)
    return {"sections": links if len(links) > 1 else [], "label": label}

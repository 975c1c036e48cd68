"""The monitor's own section menu, shown on every monitor staff page (only what the user may open)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions

register = template.Library()

# (URL name, label, URL names that belong to the section, who sees it). Labels are marked where
# they are written, so that makemessages finds them.
SECTIONS = (
    ("dashboard", _("Dashboard"), ("dashboard",), "view"),
    ("stories", _("Stories"), ("stories", "story"), "view"),
    ("alerts", _("Alerts"), ("alerts", "alert-rules", "alert-rule-add", "alert-rule-edit"), "national"),
    ("responses", _("Rumors and answers"), ("responses", "response"), "national"),
    ("briefs", _("Daily briefs"), ("briefs", "brief"), "national"),
    ("sources", _("Media sources"), ("sources", "source", "source-add", "paste"), "national"),
    ("queries", _("Watch queries"), ("queries", "query-add", "query-edit", "query-try"), "configure"),
    ("sentiment-review", _("Label sentiment"), ("sentiment-review",), "triage"),
)


@register.inclusion_tag("monitor/staff/_nav.html", takes_context=True)
def monitor_nav(context: template.Context) -> dict[str, object]:
    request = context["request"]
    user: User = request.user
    scope = scope_for(user)
    allowed = {
        "view": permissions.can_view(scope),
        "national": permissions.sees_everything(scope),
        "configure": permissions.can_configure(scope),
        "triage": permissions.can_triage(scope),
    }
    current = request.resolver_match.url_name if request.resolver_match else ""
    return {
        "sections": [
            (f"monitor:{name}", str(label), current in members)
            for name, label, members, who in SECTIONS
            if allowed[who]
        ]
    }

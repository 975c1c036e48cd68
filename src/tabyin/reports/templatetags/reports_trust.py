"""What the public pages say about who can read reports (the counts come from ``services_grants``;
a tag, so the public views need no change for it)."""

from __future__ import annotations

from django import template

from tabyin.reports.keys import services_grants

register = template.Library()


@register.simple_tag
def key_grants() -> dict[str, int]:
    """How many times someone became a reader, by how: ``holder``, ``two_person``,
    ``installation``, ``recovery``."""
    return services_grants.granted_counts()

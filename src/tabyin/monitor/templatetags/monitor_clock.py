"""``{{ rt|clock:"detection" }}`` / ``{{ rt|clock:"first_post" }}``: a response time on the one clock
(``pipeline.clock``), in the page's language. Every page that shows a response time uses it."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from tabyin.monitor.pipeline.clock import ResponseTime, duration_text

register = template.Library()


@register.filter
def clock(value: ResponseTime | None, which: str) -> str:
    if value is None:
        return ""
    span = value.from_detection if which == "detection" else value.from_first_post
    return duration_text(span, "en" if (get_language() or "fa").startswith("en") else "fa")

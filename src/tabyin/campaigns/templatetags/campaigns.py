"""Names of the campaigns' codes on pages: ``{{ code|channel_name }}``, ``{{ code|segment_name }}``."""

from __future__ import annotations

from datetime import date

from django import template

from tabyin.campaigns.enums import Channel, Segment
from tabyin.core.http import page_language
from tabyin.core.jalali import format_month

register = template.Library()


@register.filter
def channel_name(code: object) -> str:
    text = str(code or "")
    return str(Channel(text).label) if text in Channel.values else text


@register.filter
def segment_name(code: object) -> str:
    text = str(code or "")
    return str(Segment(text).label) if text in Segment.values else text


@register.filter
def jmonth(value: object) -> str:
    """A month's first day -> «مهر ۱۴۰۵» / "Mehr 1405"."""
    if isinstance(value, date):
        return format_month(value, page_language())
    return "—"

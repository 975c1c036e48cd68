"""``{% load labels %}``: codes shown as words (see ``tabyin.core.labels``).

``{{ f.content_type|mime_label }}`` -> "PDF"; ``{{ rule.channels|channel_labels }}`` ->
«در سامانه، رایانامه»; ``{{ "ir-23-security"|unit_label }}`` -> the unit's name.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from tabyin.core import labels

register = template.Library()


@register.filter
def mime_label(value: object) -> str:
    return labels.mime_label(value)


@register.filter
def channel_label(value: object) -> str:
    return labels.channel_label(value)


@register.filter
def channel_labels(values: Iterable[object] | None) -> str:
    return labels.join_labels(labels.channel_label(v) for v in values or ())


@register.filter
def unit_label(value: object) -> str:
    return labels.unit_label(value)

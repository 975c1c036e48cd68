"""Codes shown to people as words: MIME types, delivery channels, unit codes."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from tabyin.core.labels import channel_label, join_labels, mime_label, unit_label
from tests import factories


@pytest.mark.parametrize(
    ("code", "fa", "en"),
    [
        ("application/pdf", "PDF", "PDF"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", "Excel"),
        ("text/csv; charset=utf-8", "CSV", "CSV"),
        ("image/png", "تصویر PNG", "PNG image"),
        ("IMAGE/JPEG", "تصویر JPEG", "JPEG image"),
        ("image/x-unknown", "تصویر", "Image"),
        ("text/plain", "متن ساده", "Plain text"),
        ("application/zip", "بایگانی ZIP", "ZIP archive"),
        ("application/octet-stream", "پرونده", "File"),
        ("", "—", "—"),
    ],
)
def test_mime_types_read_as_kinds_of_file(code: str, fa: str, en: str) -> None:
    with translation.override("fa"):
        assert mime_label(code) == fa
    with translation.override("en"):
        assert mime_label(code) == en


def test_channels_read_as_names_and_join_as_a_list() -> None:
    with translation.override("fa"):
        assert (
            join_labels(channel_label(c) for c in ["in_app", "email", "pigeon"])
            == "در سامانه، رایانامه، pigeon"
        )
    with translation.override("en"):
        assert join_labels(channel_label(c) for c in ["in_app", "email"]) == "In the app, E-mail"


@pytest.mark.django_db
def test_unit_codes_read_as_unit_names_in_templates() -> None:
    factories.seed_org()
    unit = factories.unit("ir-23-security")
    template = Template(
        "{% load labels %}{{ code|unit_label }} | {{ ct|mime_label }} | {{ channels|channel_labels }}"
    )
    context = Context({"code": "ir-23-security", "ct": "application/pdf", "channels": ["in_app", "webhook"]})

    with translation.override("fa"):
        assert template.render(context) == f"{unit.name_fa} | PDF | در سامانه، وب‌هوک امضاشده"
        assert unit_label("no-such-unit") == "no-such-unit"
    with translation.override("en"):
        assert template.render(context) == f"{unit.name_en} | PDF | In the app, Signed webhook"

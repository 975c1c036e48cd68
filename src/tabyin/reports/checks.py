"""Deployment checks of the report module (``tabyin manage check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def receipt_pepper_outside_the_data_directory(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The embedded default keeps the receipt pepper in DATA_DIR, so every backup of the data
    directory holds it and can test receipt guesses (one Argon2id run each; ADR 0013)."""
    if not getattr(settings, "TABYIN_RECEIPT_PEPPER_IN_DATA_DIR", False):
        return []
    return [
        CheckWarning(
            "The receipt pepper is in the data directory, so every backup of it lets its holder "
            "test receipt-code guesses (one Argon2id run each).",
            hint="Move DATA_DIR/receipt_pepper out of the data directory and its backups and set "
            "TABYIN_RECEIPT_PEPPER_FILE to its new path (or set TABYIN_RECEIPT_PEPPER).",
            id="reports.W001",
        )
    ]

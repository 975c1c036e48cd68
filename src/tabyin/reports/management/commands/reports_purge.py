"""``tabyin manage reports_purge``: delete now what the periodic job would delete next."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from tabyin.reports.retention import services as services_retention


class Command(BaseCommand):
    help = (
        "Delete the violation reports whose retention period has ended (not those on legal hold), "
        "with their messages, notes and files; counts are kept for the statistics."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        purged = services_retention.purge_expired(timezone.now())
        self.stdout.write(
            f"deleted {purged.reports} reports and {purged.files} files; "
            f"{purged.held} expired reports kept on legal hold"
        )

"""Background jobs of the daily brief: the periodic check that sends it, and a rebuild on demand."""

from __future__ import annotations

from datetime import date, timedelta

from tabyin.core.background import periodic, task
from tabyin.monitor import task_refs
from tabyin.monitor.briefs import services as services_brief


@periodic("monitor.daily_brief", every=timedelta(minutes=10))
def daily_brief() -> None:
    """Every ten minutes: once the brief hour has come (Tehran), build and send yesterday's brief."""
    services_brief.brief_run_daily()


@task(task_refs.build_brief)
def build_brief(*, day: str) -> None:
    """(Re)build the brief of ``day`` ("YYYY-MM-DD") without sending it; a sent brief stays as sent."""
    services_brief.brief_build(day=date.fromisoformat(day))

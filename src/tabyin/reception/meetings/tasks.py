"""Periodic jobs of public meetings: reminders the day before, and forgetting contacts after."""

from __future__ import annotations

from datetime import timedelta

from tabyin.core.background import periodic


@periodic("reception.meeting_reminders", every=timedelta(minutes=10))
def meeting_reminders() -> int:
    from tabyin.reception.meetings import services

    sent = services.reminders_send()
    services.contacts_forget()
    return sent

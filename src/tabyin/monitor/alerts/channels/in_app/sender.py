"""In the app: the ``Alert`` row itself is the notice.

Staff see it on the alerts page and as the unacknowledged count in the staff menu
(``alerts.selectors.unacknowledged_count``); there is nothing to send, so this sender only
confirms, which keeps the delivery record uniform across channels.
"""

from __future__ import annotations

from typing import Any

from tabyin.monitor.alerts.channels.base import Message, Sender


class InAppSender(Sender):
    name = "in_app"

    def send(self, message: Message, target: str, **options: Any) -> str:
        return ""

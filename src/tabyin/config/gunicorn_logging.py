"""gunicorn's logger with the client-address filter on its error and access handlers.

gunicorn logs before Django exists (``Invalid request from ip=…`` for a request line over 4 KB, a
header over 8 KB, a bad method) and its loggers do not propagate to the root, so Django's LOGGING
never sees those lines: the filter has to sit on gunicorn's own handlers, set up here.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from tabyin.core import logscrub


class ScrubbingLogger(Logger):  # type: ignore[misc]
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        logscrub.install(self.error_log, self.access_log)

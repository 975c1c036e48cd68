"""No client address in any log line: one filter on every handler, ours and the libraries'.

A violation reporter must not be traceable through the server's logs. Stripping the address from
the request (``middleware.NoClientAddressMiddleware``) is not enough: the web server logs before
Django sees anything (a server may log a malformed request with its peer address),
and any library may put a peer address or a forwarded header in a warning or a traceback.

So every log record is rewritten before a handler writes it: IPv4 and IPv6 addresses become
``[address]`` and the value of any header or WSGI key that names the client (Forwarded,
X-Forwarded-For, X-Real-IP, CF-Connecting-IP, REMOTE_ADDR, …) becomes ``[removed]``. The filter sits
on handlers, not loggers, because a logger's filters do not see records its children propagate.
``install()`` puts it on the root logger's handlers and every handler any logger has now; the
settings' LOGGING, the Celery ``setup_logging`` hook and the web server's logging (config.server) call it.

Over-scrubbing is the chosen side (a four-part version number is masked too); only 127.0.0.1,
0.0.0.0, ::1 and :: are kept, the server's usual bind addresses, which name nobody. Nothing here
imports Django, so the web server's main process can use it before Django loads.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from typing import Any

ADDRESS = "[address]"
REMOVED = "[removed]"

_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\d)")
# Candidates only: validated with ipaddress, so a clock time such as 07:35:35 is left alone.
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?:%[\w.-]+)?(?![\w:]|\.\d)"
)
# A header or WSGI key that names the client, then its value up to a quote, a backslash (an escaped
# line end in a bytes repr) or a line end. Addresses inside a quoted value (Forwarded: for="[…]")
# are caught by the address patterns after.
_CLIENT_KEY = re.compile(
    r"(?i)(?P<key>\b(?:HTTP_)?[\w-]*(?:FORWARDED|REAL[_-]IP|CLIENT[_-]IP|CONNECTING[_-]IP|"
    r"EXTERNAL[_-]ADDRESS|REMOTE[_-](?:ADDR|HOST|PORT)|TRUE[_-]CLIENT)[\w-]*)"
    r"(?P<sep>['\"]?\s*[:=]\s*['\"]?)(?P<value>[^'\"\\\r\n]*)"
)


# The server's own usual bind addresses name nobody (behind a reverse proxy every client is
# 127.0.0.1 anyway); kept so that "Listening at: http://127.0.0.1:8000" stays readable.
_KEPT = frozenset({"127.0.0.1", "0.0.0.0", "::1", "::"})  # noqa: S104 (text to keep, not a bind)


def _ipv6(match: re.Match[str]) -> str:
    text = match.group(0)
    try:
        address = ipaddress.IPv6Address(text.split("%", 1)[0])
    except ValueError:
        return text
    return text if str(address) in _KEPT and "%" not in text else ADDRESS


def _ipv4(match: re.Match[str]) -> str:
    try:
        address = ipaddress.IPv4Address(match.group(0))
    except ValueError:
        return match.group(0)
    return match.group(0) if str(address) in _KEPT else ADDRESS


def scrub(text: str) -> str:
    """The text with client addresses and client-naming header values replaced."""
    text = _CLIENT_KEY.sub(lambda m: f"{m.group('key')}{m.group('sep')}{REMOVED}", text)
    text = _IPV6.sub(_ipv6, text)
    return _IPV4.sub(_ipv4, text)


class ScrubClientAddresses(logging.Filter):
    """Rewrites the record in place (message, exception text, stack) and always lets it through."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_tabyin_scrubbed", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 (a broken format string must still be logged, scrubbed)
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            # A formatter prints exc_text when it is set and formats exc_info only when it is not.
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        setattr(record, "_tabyin_scrubbed", True)  # noqa: B010 (LogRecord declares no such field)
        return True


_FILTER = ScrubClientAddresses()


def _has_filter(handler: logging.Handler) -> bool:
    return any(isinstance(f, ScrubClientAddresses) for f in handler.filters)


def install(*loggers: logging.Logger) -> None:
    """Put the filter on every handler of the given loggers, the root and every logger known now."""
    known: list[Any] = [logging.getLogger(), *loggers, *logging.Logger.manager.loggerDict.values()]
    for logger in known:
        for handler in getattr(logger, "handlers", ()):
            if not _has_filter(handler):
                handler.addFilter(_FILTER)


def unscrubbed_handlers() -> list[str]:
    """Every handler, on any logger, without the filter (empty when all logging is covered)."""
    known: list[Any] = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    return [
        f"{getattr(logger, 'name', '?')}: {handler!r}"
        for logger in known
        for handler in getattr(logger, "handlers", ())
        if not _has_filter(handler)
    ]


def configure(config: dict[str, Any]) -> None:
    """Django's LOGGING_CONFIG: the settings' dictionary, then the filter on every handler (Django's
    own defaults included: they were configured just before)."""
    import logging.config

    logging.config.dictConfig(config)
    install()

"""The client-address log filter: what it masks, what it leaves, and that every handler has it."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from tabyin.core.web.logscrub import ScrubClientAddresses, scrub
from tests.cli_helpers import clean_env


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Invalid request from ip=192.0.2.17: bad", "Invalid request from ip=[address]: bad"),
        ("peer ('10.1.2.3', 51234) reset", "peer ('[address]', 51234) reset"),
        ("from ::2 and 2001:db8::7", "from [address] and [address]"),
        ("link fe80::1%eth0 up", "link [address] up"),
        ("mapped ::ffff:192.0.2.1 seen", "mapped [address] seen"),
        ("full 2001:0db8:0000:0000:0000:ff00:0042:8329.", "full [address]."),
        ("url http://[2001:db8::1]:8443/x", "url http://[[address]]:8443/x"),
        ("X-Forwarded-For: 203.0.113.7, 10.0.0.1", "X-Forwarded-For: [removed]"),
        ("x-real-ip: somebody.example", "x-real-ip: [removed]"),
        ('Forwarded: for="[2001:db8::1]";proto=https', 'Forwarded: [removed]"[[address]]";proto=https'),
        (
            "{'HTTP_X_FORWARDED_FOR': '203.0.113.7', 'PATH_INFO': '/r/'}",
            "{'HTTP_X_FORWARDED_FOR': '[removed]', 'PATH_INFO': '/r/'}",
        ),
        ("REMOTE_HOST=client.example.org", "REMOTE_HOST=[removed]"),
        ("b'Host: x\\r\\nCF-Connecting-IP: 203.0", "b'Host: x\\r\\nCF-Connecting-IP: [removed]"),
        # Left alone: the usual bind addresses, clock times, dates, versions, sizes, ports, ratios.
        (
            "Listening at: http://127.0.0.1:8000 and [::1]:8000, 0.0.0.0, ::",
            "Listening at: http://127.0.0.1:8000 and [::1]:8000, 0.0.0.0, ::",
        ),
        ("127.0.0.2 and 0:0:0:0:0:0:0:2", "[address] and [address]"),
        ("2026-12-07 11:15:14,937 at 07:35:35", "2026-12-07 11:15:14,937 at 07:35:35"),
        ("gunicorn 27.0.1, Python 3.12.1", "gunicorn 27.0.1, Python 3.12.1"),
        ("Request Line is too large (5014 > 4094)", "Request Line is too large (5014 > 4094)"),
        ("ratio 1:2:3 at 12:30:45", "ratio 1:2:3 at 12:30:45"),
        ("X-Forwarded-Proto: https", "X-Forwarded-Proto: [removed]"),  # over-scrubbing is harmless
    ],
)
def test_scrub(line: str, expected: str) -> None:
    assert scrub(line) == expected


def test_filter_rewrites_message_arguments_and_traceback() -> None:
    try:
        raise ConnectionError("reset by 198.51.100.9")
    except ConnectionError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "client %s at %s", ("198.51.100.9", "now"), sys.exc_info()
        )
    record.stack_info = "Stack (most recent call last):\n  peer=198.51.100.9"

    assert ScrubClientAddresses().filter(record) is True
    formatted = logging.Formatter().format(record)

    assert record.getMessage() == "client [address] at now"
    assert "ConnectionError: reset by [address]" in formatted
    assert "peer=[address]" in formatted
    assert "198.51.100.9" not in formatted


# Run in a fresh interpreter: pytest adds its own capture handlers to the root logger.
_PROBE = """
import logging, sys
from tabyin.config.celery import app
from tabyin.core.web import logscrub
app.log.setup_logging_subsystem(loglevel="INFO")
NAMES = ("", "django.request", "django.security.csrf", "celery.worker", "celery.task", "kombu", "py.warnings")
for name in NAMES:
    logging.getLogger(name).error("lost peer 192.0.2.44, X-Forwarded-For: 203.0.113.9")
print("unscrubbed:", logscrub.unscrubbed_handlers())
"""


@pytest.mark.cli
def test_every_handler_scrubs_after_django_and_celery_set_up_logging(tmp_path: object) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env=clean_env(TABYIN_DATA_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:1/0"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "unscrubbed: []"
    assert result.stderr.count("lost peer [address], X-Forwarded-For: [removed]\n") == 7, result.stderr
    assert "192.0.2.44" not in result.stderr
    assert "203.0.113" not in result.stderr

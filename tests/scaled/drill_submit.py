"""Run by the fault drills in a subprocess on the drill's private database and Redis: submit reports
through the service the public form calls (notices and their task included) and print their ids.

``python -m tests.scaled.drill_submit COUNT`` with DATABASE_URL and REDIS_URL set.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from tests.reports import helpers  # noqa: E402


def main() -> None:
    count = int(sys.argv[1])
    ids = [helpers.submit(what=f"{helpers.form()['what']} ({n})").report.pk for n in range(count)]
    print(json.dumps(ids))


if __name__ == "__main__":
    main()

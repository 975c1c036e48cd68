"""Run in a data directory (``TABYIN_DATA_DIR``) by the backup drill: open every violation report
as each demo handler of a unit that received it, read every file, open the demo receipt code, and
print one JSON object that digests what was read. The drill compares the digest of the original
with the restored copy's: equal means every report, file and reply came back readable.

A separate process because the data directory is fixed when Django's settings load.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tabyin.config.settings"
    import django

    django.setup()
    from django.core.exceptions import PermissionDenied

    from tabyin.core.models import User
    from tabyin.reports import demo
    from tabyin.reports.cases import services as services_case
    from tabyin.reports.intake import services_reporter
    from tabyin.reports.keys import services as services_keys
    from tabyin.reports.models import Report

    known = demo._read(demo.passphrases_path())
    unlocked = {
        name: services_keys.keys_unlock(user=User.objects.get(username=name), passphrase=known[name])
        for name in demo.HANDLER_OF_UNIT.values()
    }
    opened: dict[str, dict[str, str]] = {}
    for report in Report.objects.order_by("id"):
        views: dict[str, str] = {}
        for code in report.recipients.order_by("id").values_list("unit__code", flat=True):
            name = demo.HANDLER_OF_UNIT.get(code)
            if name is None or name in views:
                continue
            actor = User.objects.get(username=name)
            try:
                case = services_case.case_open(actor=actor, unlocked=unlocked[name], report_id=report.pk)
            except PermissionDenied as error:
                views[name] = f"refused: {type(error).__name__}"
                continue
            digest = hashlib.sha256(json.dumps([case.what, case.who, case.place_name]).encode())
            for message in case.messages:
                digest.update(message.text.encode())
            for note in case.notes:
                digest.update(note.text.encode())
            for found in report.files.order_by("id"):
                download = services_case.file_read(
                    actor=actor, unlocked=unlocked[name], report=report, file_id=found.pk
                )
                digest.update(download.data)
            views[name] = f"{digest.hexdigest()} files={report.files.count()} what={len(case.what)}"
        opened[str(report.pk)] = views
    access = services_reporter.receipt_open(raw_code=known[demo.RECEIPT_LINE])
    receipt: dict[str, object] = {"opens": access is not None}
    if access is not None:
        seen = services_reporter.reporter_case(access=access)
        receipt["report"] = access.report_id
        receipt["messages"] = [m.text for m in seen.messages]  # the handler's reply among them
    json.dump(
        {"reports": opened, "receipt": receipt, "data_dir": str(Path(os.environ["TABYIN_DATA_DIR"]))},
        sys.stdout,
        ensure_ascii=False,
    )


if __name__ == "__main__":
    main()

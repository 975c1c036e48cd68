"""``tabyin manage otp_rotate_key``: seal every staff authenticator secret under a new key.

Where the key lives decides the steps:

- DATA_DIR/otp_key (TABYIN_OTP_KEY not set): the new key is written to DATA_DIR/otp_key.new
  (0600) first, the database is resealed in one transaction, then the new file replaces the old
  one. Interrupted at any point, running the command again finishes the job with the same new
  key; until the file is replaced the old key still opens every device it sealed.
- TABYIN_OTP_KEY set: the new key is read from ``--new-key-file`` (made there, 0600, when the
  file does not exist); after the rotation set TABYIN_OTP_KEY to it on every process.

Restart every web process and worker afterwards: they hold the key they started with.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tabyin.core import otp_sealing
from tabyin.core.auth import services_otp

# config.datadir.OTP_KEY_FILE (apps do not import config; a test checks the two agree).
OTP_KEY_FILE = "otp_key"


def _key_file(path: Path) -> str:
    """The key in ``path``, made there (random, 0600) when the file does not exist."""
    try:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        return path.read_text().strip()
    except OSError as error:
        raise CommandError(f"{path}: cannot read or create the new key ({error.strerror})") from None


class Command(BaseCommand):
    help = "Seal every staff authenticator (TOTP) secret under a new key, all at once or not at all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key-file",
            type=Path,
            help="File holding the new key (created with a random key when missing). Required when "
            "TABYIN_OTP_KEY is set in the environment.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        old = str(settings.TABYIN_OTP_KEY)
        current = Path(settings.DATA_DIR) / OTP_KEY_FILE
        in_data_dir = current.exists() and current.read_text().strip() == old
        given: Path | None = options["new_key_file"]
        if given is None and not in_data_dir:
            raise CommandError(
                "TABYIN_OTP_KEY is set in the environment: give --new-key-file FILE (made there when "
                "missing), then set TABYIN_OTP_KEY to its content on every process."
            )
        pending = given or current.with_name(OTP_KEY_FILE + ".new")
        new = _key_file(pending)
        try:
            done = services_otp.otp_key_rotate(old=old, new=new)
        except otp_sealing.OtpKeyError as error:
            raise CommandError(f"nothing changed: {error}") from None
        if in_data_dir and given is None:
            pending.replace(current)
            where = str(current)
        else:
            where = f"{pending}: set TABYIN_OTP_KEY to its content on every process"
        summary = {"resealed": done.resealed, "already": done.already, "new_key": where}
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        self.stdout.write("Restart every web process and worker: they still hold the old key.")

"""``tabyin manage reports_recover --unit CODE --user NAME``: give a keyring back to a handler.

For when every holder of a unit's key lost their passphrase (or left). The handler first sets a
new passphrase (which makes their new key); this command then opens the keyring's copy sealed to
the offline recovery key and seals it to the handler's new key. The private recovery key is read
from standard input, never from the command line (which other users and shell histories see).
"""

from __future__ import annotations

import binascii
import sys
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tabyin.core.models import OrgUnit, User
from tabyin.reports.crypto import sodium
from tabyin.reports.enums import KeyringPurpose
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import Keyring


class Command(BaseCommand):
    help = (
        "Re-share a unit's (or the custodians') keyring to a handler with the offline recovery key, "
        "read from standard input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--unit", help="code of the receiving unit, e.g. ir-23-security")
        target.add_argument("--custodian", action="store_true", help="the identity custodians' keyring")
        parser.add_argument("--user", required=True, help="user name of the handler or custodian")

    def _keyrings(self, options: dict[str, Any]) -> list[Keyring]:
        """Every keyring of the target, the retired ones too: their older reports come back with them."""
        if options["custodian"]:
            keyrings = list(Keyring.objects.filter(purpose=KeyringPurpose.CUSTODIAN).order_by("id"))
        else:
            unit = OrgUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"no unit with the code {options['unit']}")
            keyrings = list(Keyring.objects.filter(purpose=KeyringPurpose.UNIT, unit=unit).order_by("id"))
        if not keyrings:
            raise CommandError("this keyring does not exist yet: a two-person grant creates it")
        return keyrings

    def handle(self, *args: Any, **options: Any) -> None:
        keyrings = self._keyrings(options)
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']}")
        if sys.stdin.isatty():
            self.stderr.write("Paste the private recovery key (base64), then press Enter:")
        try:
            private = sodium.unb64(sys.stdin.readline())
        except (binascii.Error, ValueError):
            raise CommandError("that is not a base64 key") from None
        if len(private) != sodium.KEY_BYTES:
            raise CommandError("that is not a recovery key (32 bytes expected)")
        recovered = 0
        for keyring in keyrings:
            if keyring.recovery_sealed is None:
                continue
            try:
                services_keys.keys_recover(recovery_private=private, keyring=keyring, user=user)
            except sodium.DecryptError:
                raise CommandError("this recovery key does not open the keyring") from None
            except (PermissionDenied, ValidationError) as error:
                raise CommandError(str(error)) from None
            recovered += 1
        if not recovered:
            raise CommandError("this keyring was created without a recovery key")
        self.stdout.write(
            f"{user.username} holds the keyring again ({recovered} key(s)); "
            "they unlock it with their own passphrase."
        )

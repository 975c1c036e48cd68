"""``tabyin manage reports_recovery_keygen``: make the offline recovery key pair.

The public half goes into TABYIN_REPORTS_RECOVERY_PUBLIC_KEY: every unit and custodian key made
afterwards is also sealed to it. The private half is printed once and kept offline (on paper or
an air-gapped medium, split between two people); with it, ``reports_recover`` gives a keyring
back to a handler when every holder lost their passphrase.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tabyin.reports.crypto import sodium


class Command(BaseCommand):
    help = "Print a new X25519 recovery key pair for violation reports (the private key only once)."

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = sodium.keypair()
        self.stdout.write(f"TABYIN_REPORTS_RECOVERY_PUBLIC_KEY={sodium.b64(public)}")
        self.stdout.write("")
        self.stdout.write(
            "PRIVATE recovery key: store it offline now. It is not saved anywhere and opens every "
            "report of every unit whose key was made while the public key above was configured. "
            "Never put it in the server's settings."
        )
        self.stdout.write(sodium.b64(private))

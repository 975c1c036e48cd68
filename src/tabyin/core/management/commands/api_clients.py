"""``tabyin manage api_clients``: register, rotate, revoke and list the client apps of the public API.

    tabyin manage api_clients create "Tamin mobile app" --rate 600/m --contact mobile@example.org
    tabyin manage api_clients rotate "Tamin mobile app" [--grace-hours 72]
    tabyin manage api_clients revoke "Tamin mobile app"
    tabyin manage api_clients list

A new key is printed once, on this terminal, and never again: only its digest is stored. Every
change is in the audit log under the administrator named by ``--by`` (a username), if given.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tabyin.core.apiclients import selectors, services
from tabyin.core.models import User
from tabyin.core.models_api import ApiClient

# django-ninja's throttle reads "<count>/<s|m|h|d>" (also "second", "minute", … spelled out).
_RATE = re.compile(r"[1-9][0-9]{0,4}/[smhd]")


class Command(BaseCommand):
    help = "Register, rotate, revoke or list the client apps of the public API (/api/v1/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "rotate", "revoke", "list"])
        parser.add_argument("name", nargs="?", default="", help="The client app's name.")
        parser.add_argument("--rate", default="600/m", help="Requests allowed, e.g. 600/m or 20000/d.")
        parser.add_argument("--contact", default="", help="Who to call about this client.")
        parser.add_argument("--grace-hours", type=int, default=None, help="Old key's life after rotate.")
        parser.add_argument("--by", default="", help="Username of the administrator (audit log).")

    def handle(self, *args: Any, **options: Any) -> None:
        action: str = options["action"]
        if action == "list":
            self._list()
            return
        name = options["name"].strip()
        if not name:
            raise CommandError(f"{action}: name the client app.")
        actor = self._actor(options["by"])
        if action == "create":
            rate = options["rate"].strip()
            if not _RATE.fullmatch(rate):
                raise CommandError(f"--rate {rate!r}: write it as <count>/<s|m|h|d>, e.g. 600/m.")
            if ApiClient.objects.filter(name=name).exists():
                raise CommandError(f"A client app named {name!r} already exists.")
            made, key = services.client_create(actor=actor, name=name, rate=rate, contact=options["contact"])
            self._print_key(made, key)
            return
        client = ApiClient.objects.filter(name=name, revoked_at=None).first()
        if client is None:
            raise CommandError(f"No client app named {name!r} that is not revoked.")
        if action == "rotate":
            hours = options["grace_hours"]
            if hours is not None and hours < 0:
                raise CommandError("--grace-hours must be 0 or more.")
            grace = timedelta(hours=hours) if hours is not None else None
            self._print_key(client, services.client_rotate(actor=actor, client=client, grace=grace))
        else:
            services.client_revoke(actor=actor, client=client)
            self.stdout.write(f"Revoked {client.name}: every key stopped.")

    def _actor(self, username: str) -> User | None:
        if not username:
            return None
        actor = User.objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"--by {username!r}: no such user.")
        return actor

    def _print_key(self, client: ApiClient, key: str) -> None:
        self.stdout.write(f"Client app: {client.name} (rate {client.rate})")
        self.stdout.write(f"Key (shown once, store it now): {key}")

    def _list(self) -> None:
        for client in ApiClient.objects.all():
            use = selectors.usage(client, days=1)
            state = "revoked" if client.revoked_at else "active"
            last = client.last_used_at.isoformat(timespec="seconds") if client.last_used_at else "never"
            self.stdout.write(
                f"{client.name}\t{state}\trate {client.rate}\ttoday {use.today}\tlast used {last}"
            )

"""``tabyin manage reports_keys_bootstrap --user NAME (--unit CODE | --custodian)``: the first key.

A fresh installation has no trustee (nobody holds a headquarters unit's or the custodians' key),
so the two-person grant (``services_grants``) has no one to be its second person. This command,
run on the server at installation, gives that first key to a handler of a headquarters unit or
to a custodian who has set a passphrase. It refuses as soon as any trustee key is held, and the
grant is counted on the protections page like every other.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tabyin.core.models import OrgUnit, User
from tabyin.reports.keys import services_grants


class Command(BaseCommand):
    help = "Give the installation's first report key (a headquarters unit's or the custodians')."

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--unit", help="code of a headquarters receiving unit, e.g. hq-security")
        target.add_argument("--custodian", action="store_true", help="the identity custodians' key")
        parser.add_argument("--user", required=True, help="user name of the handler or custodian")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user named {options['user']}")
        unit = None
        if not options["custodian"]:
            unit = OrgUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"no unit with the code {options['unit']}")
        try:
            services_grants.grant_bootstrap(grantee=user, unit=unit)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{user.username} now holds the {'custodians' if unit is None else unit.code} key")

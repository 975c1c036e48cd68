"""`tabyin backup` and `tabyin restore`: the command-line side (environment, passphrase, output).
The work is in tabyin.core.backup.services and services_restore; see docs/modules/core.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tabyin.core.backup.services import Database, Site
from tabyin.core.errors import OperatorError as Fatal


def _site() -> Site:
    """Where this deployment keeps its data, read from the environment (no Django: a restore runs
    on a machine where Tabyin never started, and starting it would make a new receipt secret)."""
    from tabyin.config import datadir
    from tabyin.config.env import load

    env = load()
    url = env.database_url
    if not url:
        database = Database(sqlite_path=env.data_dir / datadir.SQLITE_FILE)
    elif url.startswith("sqlite:///"):
        import dj_database_url

        database = Database(sqlite_path=Path(dj_database_url.parse(url)["NAME"]).absolute())
    else:
        database = Database(postgres_url=url)
    pepper_file = Path(env.receipt_pepper_file).expanduser() if env.receipt_pepper_file else None
    secret_file = datadir.receipt_pepper_path(env.data_dir, pepper_file)
    secret = env.receipt_pepper
    if not secret and secret_file.is_file():
        secret = secret_file.read_text().strip()
    return Site(
        data_dir=env.data_dir, database=database, receipt_secret_file=secret_file, receipt_secret=secret
    )


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    """From --passphrase-file, else TABYIN_BACKUP_PASSPHRASE, else a prompt; never an argument."""
    from tabyin.config.env import load

    if args.passphrase_file:
        try:
            return Path(args.passphrase_file).read_text().rstrip("\r\n")
        except OSError as error:
            raise Fatal(
                f"{args.passphrase_file}: cannot read the passphrase file ({error.strerror})."
            ) from None
    if load().backup_passphrase:
        return load().backup_passphrase
    if not sys.stdin.isatty():
        raise Fatal(
            "no passphrase: use --passphrase-file FILE or set TABYIN_BACKUP_PASSPHRASE "
            "(or run in a terminal to be asked)."
        )
    import getpass

    first = getpass.getpass("Archive passphrase: ")
    if confirm and getpass.getpass("The same passphrase again: ") != first:
        raise Fatal("the two passphrases differ; nothing was written.")
    return first


def cmd_backup(args: argparse.Namespace) -> None:
    from tabyin.core.backup import services as services_backup

    site = _site()
    archive = Path(args.file).absolute()
    outcome = services_backup.backup(
        site=site,
        archive=archive,
        passphrase=_passphrase(args, confirm=True),
        include_receipt_secret=args.include_receipt_secret,
    )
    for note in outcome.notes:
        print(f"note: {note}", file=sys.stderr)
    secret = (
        "included (keep this archive as safe as the secret)"
        if args.include_receipt_secret
        else "not included"
    )
    print(
        f"backup written to {archive}: the {site.database.kind} database and {outcome.files} files of "
        f"{site.data_dir} ({outcome.bytes} bytes before encryption); receipt secret: {secret}."
    )


def cmd_restore(args: argparse.Namespace) -> None:
    from tabyin.core.backup import services_restore

    site = _site()
    outcome = services_restore.restore(
        site=site, archive=Path(args.file), passphrase=_passphrase(args, confirm=False), force=args.force
    )
    print(
        f"restored {args.file}: the {site.database.kind} database and {outcome.files} files into "
        f"{site.data_dir} (every part checked against the archive's manifest)."
    )
    for note in outcome.notes:
        print(note, file=sys.stderr if note.startswith("WARNING") else sys.stdout)

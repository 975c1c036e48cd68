"""Demo data of the core app: the organization and one staff account per role.

Passwords are generated, never fixed, and written once to DATA_DIR/demo-credentials.txt (mode
0600). Running the demo again reuses the accounts and the file.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from tabyin.core import services
from tabyin.core.enums import Role
from tabyin.core.models import OrgUnit, User

CREDENTIALS_FILE = "demo-credentials.txt"

# (user name, display name, unit code, role): one persona per role of the brief.
PERSONAS: tuple[tuple[str, str, str, Role], ...] = (
    ("admin", "مدیر سامانه", "hq", Role.ADMINISTRATOR),
    ("hq.analyst", "کارشناس روابط عمومی ستاد", "hq", Role.ANALYST),
    ("hq.manager", "مدیر ارشد", "hq", Role.SENIOR_MANAGER),
    ("hq.publisher", "ناشر داده", "hq", Role.DATA_PUBLISHER),
    ("hq.evaluator", "ارزیاب", "hq", Role.EVALUATOR),
    ("hq.juror", "داور", "hq", Role.JUROR),
    ("tehran.officer", "کارشناس روابط عمومی استان تهران", "ir-23", Role.PROVINCIAL_OFFICER),
    ("tehran.admin", "مدیر سامانهٔ استان تهران", "ir-23", Role.ADMINISTRATOR),
    ("hq.security", "کارشناس حراست ستاد", "hq-security", Role.CASE_HANDLER),
    ("hq.inspection", "کارشناس بازرسی ستاد", "hq-inspection", Role.CASE_HANDLER),
    ("hq.board", "کارشناس هیئت تخلفات ستاد", "hq-violations-board", Role.CASE_HANDLER),
    ("tehran.security", "کارشناس حراست استان تهران", "ir-23-security", Role.CASE_HANDLER),
    ("tehran.inspection", "کارشناس بازرسی استان تهران", "ir-23-inspection", Role.CASE_HANDLER),
    ("hq.custodian", "امین هویت گزارشگران", "hq", Role.CUSTODIAN),
    # An HQ deputy's office that asks PR for news and coverage through the request desk.
    ("hq.deputy", "دفتر معاون درمان ستاد", "hq", Role.STAFF),
)


def credentials_path() -> Path:
    return Path(settings.DATA_DIR) / CREDENTIALS_FILE


@lru_cache(maxsize=1)
def is_demo() -> bool:
    """A data directory that `tabyin demo` filled: every page then says its data are samples."""
    return credentials_path().exists()


@transaction.atomic
def load() -> str:
    seeded = services.org_seed(
        name_fa="سازمان تأمین اجتماعی (نمونه)", name_en="Social Security Organization (sample)"
    )
    path = credentials_path()
    known = _read(path)
    lines: list[str] = []
    created = 0
    for username, display, unit_code, role in PERSONAS:
        password = known.get(username)
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            services.user_create(
                actor=None,
                username=username,
                password=password,
                display_name=display,
                unit=OrgUnit.objects.get(code=unit_code),
                role=role,
            )
            created += 1
        elif password is None:
            # The file was removed: give the persona a new password rather than lose access.
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
        lines.append(f"{username}\t{password}\t{role.value}\t{unit_code}")
    _write(path, lines)
    is_demo.cache_clear()
    return (
        f"organization: {seeded.created} units created, {seeded.existing} kept; "
        f"staff: {created} accounts created, {len(PERSONAS) - created} kept"
    )


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    rows = (line.split("\t") for line in path.read_text().splitlines() if line and not line.startswith("#"))
    return {row[0]: row[1] for row in rows if len(row) >= 2}


def _write(path: Path, lines: list[str]) -> None:
    header = (
        "# user name\tpassword\trole\tunit — demo accounts; the first log-in enrols an authenticator app\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(header + "\n".join(lines) + "\n")
    path.chmod(0o600)


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF saying ``text`` (ASCII) for demo evidence: small, valid, made by hand (fast)."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)

"""Canary at rest: what a reporter writes is nowhere in plain text — database, cache, files, mail,
logs — and yet the receiving unit (and the custodian, for a sealed identity) can read it all.

The same test runs on SQLite and, in the CI's second pass, on PostgreSQL. The search helpers here
are reused by test_protection_http.py.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import Client, RequestFactory
from django.urls import path

from tabyin.config import urls as site_urls
from tabyin.core.models import User
from tabyin.core.web.middleware import NoClientAddressMiddleware
from tabyin.reports.crypto import receipts, sodium
from tabyin.reports.intake import services_reporter, validation
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import Report, ReportFile, ReportRecipient
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
CACHE_TABLE = "tabyin_shared_cache"

# --- search helpers (also used by test_protection_http.py) --------------------------------------


def canaries() -> tuple[str, str]:
    """A fresh Latin and a fresh Persian canary, unique to this run."""
    latin = f"CANARY-{secrets.token_hex(12)}"
    persian = "قناری" + "".join(secrets.choice(PERSIAN_LETTERS) for _ in range(20))
    return latin, persian


def needles(text: str) -> list[bytes]:
    """``text`` as it could sit in storage without being encrypted: UTF-8, JSON-escaped, hex, base64."""
    raw = text.encode()
    found = {raw, json.dumps(text)[1:-1].encode(), raw.hex().encode(), raw.hex().upper().encode()}
    for shift in range(3):  # base64 at each alignment; the edge characters depend on the neighbours
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            found.add(encode(b"\0" * shift + raw)[4:-4])
    return sorted(n for n in found if n)


def code_needles(code: str) -> list[bytes]:
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    return [n for form in (code, receipts.display(code), persian) for n in needles(form)]


def _bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()


def _tables(cursor: Any) -> list[str]:
    return sorted(connection.introspection.table_names(cursor))


def database_hits(found: Iterable[bytes]) -> list[str]:
    """Every table, every row, every column: where any needle appears (in the vendor's SQL too)."""
    wanted = list(found)
    hits: list[str] = []
    with connection.cursor() as cursor:
        for table in _tables(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (names from introspection)
            for row in cursor.fetchall():
                blob = b"\x1f".join(_bytes(v) for v in row)
                if table == CACHE_TABLE:  # DatabaseCache keeps base64 of a pickle: look inside it
                    blob += b"\x1f" + b"\x1f".join(_unbase64(v) for v in row)
                hits += [f"{table}: {n!r}" for n in wanted if n in blob]
            hits += _sql_hits(cursor, table, wanted)
    return hits


def _unbase64(value: Any) -> bytes:
    try:
        return base64.b64decode(_bytes(value), validate=True)
    except ValueError:
        return b""


def _sql_hits(cursor: Any, table: str, wanted: list[bytes]) -> list[str]:
    """The database's own search: row-as-text and byte search in binary columns (PostgreSQL), or
    every column cast to BLOB (SQLite)."""
    quoted = connection.ops.quote_name(table)
    hits = []
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s AND data_type = 'bytea'",
            [table],
        )
        binary = [connection.ops.quote_name(r[0]) for r in cursor.fetchall()]
        for needle in wanted:
            text = needle.decode(errors="ignore")
            # PostgreSQL text holds no NUL, so neither can a row read as text: a random key's raw
            # bytes sometimes include one (the byte search below and the row scan still look).
            if "\x00" not in text:
                cursor.execute(f"SELECT count(*) FROM {quoted} t WHERE strpos(t::text, %s) > 0", [text])  # noqa: S608
                if cursor.fetchone()[0]:
                    hits.append(f"{table} (t::text): {needle!r}")
            for column in binary:
                cursor.execute(
                    f"SELECT count(*) FROM {quoted} WHERE position(%s::bytea in {column}) > 0",  # noqa: S608
                    [needle],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column} (bytea): {needle!r}")
    else:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        for needle in wanted:
            for column in columns:
                name = connection.ops.quote_name(column)
                cursor.execute(
                    f"SELECT count(*) FROM {quoted} WHERE instr(CAST({name} AS BLOB), ?) > 0",  # noqa: S608
                    [needle],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column} (blob): {needle!r}")
    return hits


def sqlite_image() -> bytes:
    """The raw bytes of the SQLite database as this connection sees it (the test database lives in
    memory; on disk the same pages are the file and its -wal)."""
    connection.ensure_connection()
    return bytes(connection.connection.serialize())  # type: ignore[union-attr]


def file_hits(found: Iterable[bytes]) -> list[str]:
    """Every file under the data directory (SQLite file, -wal, media, report files, mail, pepper)."""
    wanted = list(found)
    roots = {Path(settings.DATA_DIR), Path(settings.MEDIA_ROOT), Path(settings.TABYIN_REPORTS_FILES_DIR)}
    hits = []
    seen: set[Path] = set()
    for root in roots:
        if not root.exists():
            continue
        for item in [root, *root.rglob("*")]:
            if not item.is_file() or item in seen:
                continue
            seen.add(item)
            data = item.read_bytes()
            hits += [f"{item}: {n!r}" for n in wanted if n in data]
    return hits


def mail_hits(found: Iterable[bytes]) -> list[str]:
    wanted = list(found)
    hits = []
    for message in mail.outbox:
        blob = f"{message.subject}\n{message.body}\n{message.to}".encode() + message.message().as_bytes()
        hits += [f"mail {message.subject!r}: {n!r}" for n in wanted if n in blob]
    return hits


def log_hits(records: Iterable[logging.LogRecord], words: Iterable[str]) -> list[str]:
    """A record's message, arguments, formatted form, and every attribute (a request attached to a
    record is what error reports print)."""
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    hits = []
    for record in records:
        seen = [record.getMessage(), repr(record.msg), repr(record.args), formatter.format(record)]
        request = getattr(record, "request", None)
        if request is not None:
            seen += [repr(getattr(request, "META", {})), repr(getattr(request, "headers", {}))]
        seen += [repr(v) for k, v in vars(record).items() if k not in ("request",)]
        blob = "\n".join(seen)
        hits += [f"{record.name}: {w}" for w in words if w in blob]
    return hits


# --- the canary report --------------------------------------------------------------------------


def _put_everywhere(canary: str, mode: str) -> services_reporter.ReporterAccess:
    pdf = helpers.PDF + f"%{canary}\n".encode()
    submitted = helpers.submit(
        category="forgery",
        q_paid="",
        q_document=f"سند {canary}",
        place_name=f"شعبهٔ {canary}",
        when=f"دیروز {canary}",
        what=f"کارمند باجه سند را جعل کرد؛ {canary} را به‌خاطر بسپارید.",
        who=f"متصدی {canary}",
        identity_mode=mode,
        identity_name=f"نام {canary}",
        identity_contact=f"{canary}@example.org",
        files=[(f"سند-{canary}.pdf", pdf)],
    )
    access = services_reporter.receipt_open(raw_code=submitted.code)
    assert access is not None
    services_reporter.reporter_message_send(
        access=access,
        text=f"پیام تازه {canary}",
        files=[validation.Attachment(name=f"پیوست-{canary}.pdf", data=pdf)],
    )
    return access


def _read_as_handler(handler: User, report: Report) -> bytes:
    unlocked = services_keys.keys_unlock(user=handler, passphrase=helpers.PASSPHRASE)
    recipient = ReportRecipient.objects.get(report=report, unit__code="ir-23-security")
    private = services_keys.keyring_private(user=handler, unlocked=unlocked, keyring=recipient.keyring)
    return sodium.unseal(private, recipient.sealed_content_key)


@pytest.fixture
def readers(tehran_security: User, hq_units_with_keys: dict[str, User], custodian: User) -> dict[str, User]:
    User.objects.filter(pk=tehran_security.pk).update(email="handler@example.org")
    return {"handler": tehran_security, "custodian": custodian}


def test_a_canary_is_nowhere_in_plain_text_and_still_readable_by_the_unit(
    readers: dict[str, User],
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    latin, persian = canaries()
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        named = _put_everywhere(f"{latin} {persian}", "named")
        sealed = _put_everywhere(f"{latin} {persian}", "confidential")
    assert len(mail.outbox) >= 1  # the unit was told something is waiting …

    # The unit reads everything back: the test cannot pass by storing nothing.
    handler, custodian = readers["handler"], readers["custodian"]
    for access in (named, sealed):
        report = Report.objects.get(pk=access.report_id)
        key = _read_as_handler(handler, report)
        assert key == access.key
        content = sodium.decrypt_json(key, report.content)
        for name in ("place_name", "when", "what", "who"):
            assert latin in content[name] and persian in content[name]
        assert latin in content["answers"]["document"]
        for found in ReportFile.objects.filter(report=report):
            download = services_reporter.download(key=key, found=found)
            assert latin in download.label and persian in download.label
            assert f"%{latin} {persian}".encode() in download.data
            assert latin not in download.filename
        body = sodium.decrypt(key, report.messages.get().body).decode()
        assert body == f"پیام تازه {latin} {persian}"
    named_report = Report.objects.get(pk=named.report_id)
    identity = sodium.decrypt_json(named.key, named_report.identity)
    assert identity == {"name": f"نام {latin} {persian}", "contact": f"{latin} {persian}@example.org"}
    sealed_report = Report.objects.get(pk=sealed.report_id)
    with pytest.raises(sodium.DecryptError):  # the unit's content key does not open a sealed identity
        sodium.decrypt_json(sealed.key, sealed_report.identity)
    unlocked = services_keys.keys_unlock(user=custodian, passphrase=helpers.PASSPHRASE)
    assert sealed_report.identity_keyring is not None
    custodian_private = services_keys.keyring_private(
        user=custodian, unlocked=unlocked, keyring=sealed_report.identity_keyring
    )
    sealed_identity = json.loads(sodium.unseal(custodian_private, sealed_report.identity))
    assert sealed_identity["name"] == f"نام {latin} {persian}"
    assert ReportFile.objects.count() == 4  # two reports × (report file + message file)

    # … and nothing anywhere holds the canaries in plain text.
    wanted = needles(latin) + needles(persian) + needles(latin.lower())
    assert database_hits(wanted) == []
    assert file_hits(wanted) == []
    assert mail_hits(wanted) == []
    assert log_hits(caplog.records, [latin, persian]) == []
    if connection.vendor == "sqlite":
        image = sqlite_image()
        assert named_report.receipt_index.encode() in image  # the image is current …
        assert [n for n in wanted if n in image] == []  # … and holds no canary


def test_receipt_codes_are_nowhere_after_submission(
    readers: dict[str, User], caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        codes = [helpers.submit(files=[("a.pdf", helpers.PDF)]).code for _ in range(3)]
    for code in codes:
        assert services_reporter.receipt_open(raw_code=code) is not None
    wanted = [n for code in codes for n in code_needles(code)]
    assert database_hits(wanted) == []
    assert file_hits(wanted) == []
    assert mail_hits(wanted) == []
    assert log_hits(caplog.records, [c for code in codes for c in (code, receipts.display(code))]) == []
    if connection.vendor == "sqlite":
        assert [n for n in wanted if n in sqlite_image()] == []


def test_the_search_finds_a_canary_stored_in_plain_text(readers: dict[str, User]) -> None:
    """The search itself works: plain text in a text column, a binary column, the cache and a file."""
    latin, persian = canaries()
    helpers.submit()
    Report.objects.update(receipt_index=latin[:64])
    ReportRecipient.objects.update(sealed_content_key=persian.encode())
    from django.core.cache import caches

    caches["shared"].set("probe", {"x": f"value {latin}"})
    found = database_hits(needles(latin) + needles(persian))
    assert any(h.startswith("reports_report") for h in found)
    assert any(h.startswith("reports_reportrecipient") for h in found)
    assert any(h.startswith(CACHE_TABLE) for h in found)
    # The database's own search finds them too, not only the Python scan.
    by_sql = [h for h in found if "(t::text)" in h or "(blob)" in h or "(bytea)" in h]
    assert any(h.startswith(("reports_report ", "reports_report.")) for h in by_sql)
    assert any(h.startswith("reports_reportrecipient") and ("(bytea)" in h or "(blob)" in h) for h in by_sql)
    probe = Path(settings.TABYIN_REPORTS_FILES_DIR) / f"probe-{secrets.token_hex(4)}"
    probe.write_bytes(base64.b64encode(f"xx{persian}yy".encode()))
    try:
        assert [h for h in file_hits(needles(persian)) if str(probe) in h]
    finally:
        probe.unlink()


# --- client address and user agent: gone before anything can record them -----------------------

ADDRESS, AGENT, FORWARDED = "203.0.113.77", "CanaryAgent/9.9", "198.51.100.23"
HEADERS = {
    "REMOTE_ADDR": ADDRESS,
    "HTTP_USER_AGENT": AGENT,
    "HTTP_X_FORWARDED_FOR": FORWARDED,
    "HTTP_X_REAL_IP": FORWARDED,
    "HTTP_FORWARDED": f"for={FORWARDED}",
    "HTTP_CF_CONNECTING_IP": FORWARDED,
    "HTTP_TRUE_CLIENT_IP": FORWARDED,
    "HTTP_X_CLIENT_IP": FORWARDED,
}
SEEN: list[dict[str, Any]] = []


def _record_meta(request: HttpRequest) -> HttpResponse:
    SEEN.append(dict(request.META))
    logging.getLogger("tabyin.test").debug("view saw %s", request.META)
    return JsonResponse({"ok": True})


def _fail(request: HttpRequest) -> HttpResponse:
    SEEN.append(dict(request.META))
    raise RuntimeError("boom")


# The site's own URLs (its 404 page needs them) plus a page that records what a view sees and one
# that fails, for ``pytest.mark.urls``.
urlpatterns = [path("probe/", _record_meta), path("fail/", _fail), *site_urls.urlpatterns]


@pytest.mark.abuse
def test_the_middleware_forgets_address_agent_and_forwarding_headers() -> None:
    request = RequestFactory().get("/probe/", **HEADERS)
    SEEN.clear()
    NoClientAddressMiddleware(_record_meta)(request)
    meta = SEEN[0]
    assert meta["REMOTE_ADDR"] == "0.0.0.0"  # noqa: S104 (the placeholder, not an address to bind)
    for header in HEADERS:
        if header != "REMOTE_ADDR":
            assert header not in meta
    assert ADDRESS not in repr(meta) and AGENT not in repr(meta) and FORWARDED not in repr(meta)


def _quiet_django_loggers() -> list[tuple[logging.Logger, int]]:
    changed = []
    for name in ("django.request", "django.server", "django.security", "django"):
        logger = logging.getLogger(name)
        changed.append((logger, logger.level))
        logger.setLevel(logging.DEBUG)
    return changed


@pytest.mark.abuse
@pytest.mark.urls("tests.reports.test_protection_canary")
@pytest.mark.parametrize(("url", "status"), [("/probe/", 200), ("/no-such-page/", 404), ("/fail/", 500)])
def test_no_view_log_or_error_report_sees_the_client(
    url: str, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    """The whole middleware chain, with every Django logger at DEBUG, on a page, a 404 and a 500."""
    changed = _quiet_django_loggers()
    caplog.set_level(logging.DEBUG)
    SEEN.clear()
    try:
        response = Client(raise_request_exception=False).get(url, **HEADERS)
    finally:
        for logger, level in changed:
            logger.setLevel(level)
    assert response.status_code == status
    words = [ADDRESS, AGENT, FORWARDED]
    for meta in SEEN:
        assert [w for w in words if w in repr(meta)] == []
    if status >= 400:
        assert any(r.name == "django.request" for r in caplog.records)
    assert log_hits(caplog.records, words) == []
    assert database_hits([w.encode() for w in words]) == []
    assert file_hits([w.encode() for w in words]) == []


# Other ways a client's address, port or browser reach a WSGI environ. Client hints (Sec-CH-UA*)
# are the user agent in its newer form, sent by Chromium on every HTTPS request; the source port
# with the time identifies a subscriber behind carrier-grade NAT.
MORE_CLIENT_KEYS = {
    "REMOTE_PORT": "51234",
    "REMOTE_HOST": "host-203-0-113-77.isp.example",
    "HTTP_CLIENT_IP": FORWARDED,
    "HTTP_X_ORIGINAL_FORWARDED_FOR": FORWARDED,
    "HTTP_X_CLUSTER_CLIENT_IP": FORWARDED,
    "HTTP_FORWARDED_FOR": FORWARDED,
    "HTTP_X_FORWARDED": f"for={FORWARDED}",
    "HTTP_FASTLY_CLIENT_IP": FORWARDED,
    "HTTP_X_ENVOY_EXTERNAL_ADDRESS": FORWARDED,
    "HTTP_VIA": f"1.1 {FORWARDED}",
    "HTTP_SEC_CH_UA": '"CanaryAgent";v="9"',
    "HTTP_SEC_CH_UA_PLATFORM": '"CanaryOS"',
    "HTTP_SEC_CH_UA_MODEL": '"Canary 9"',
    "HTTP_SEC_CH_UA_FULL_VERSION_LIST": '"CanaryAgent";v="9.9.1"',
}


@pytest.mark.abuse
@pytest.mark.parametrize("key", sorted(MORE_CLIENT_KEYS))
def test_the_middleware_forgets_port_client_hints_and_other_forwarding_headers(key: str) -> None:
    request = RequestFactory().get("/probe/", **{key: MORE_CLIENT_KEYS[key]})
    SEEN.clear()
    NoClientAddressMiddleware(_record_meta)(request)
    assert key not in SEEN[0]

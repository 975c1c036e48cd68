"""Authenticator secrets at rest (issue 15.7): sealed under TABYIN_OTP_KEY, which is not in the
database. Runs on SQLite and, in the CI's second pass, on PostgreSQL."""

from __future__ import annotations

import base64
import re
from binascii import unhexlify
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, override_settings
from django_otp import devices_for_user
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tabyin.core import otp_sealing
from tabyin.core.enums import Role
from tabyin.core.models import SealedTotpDevice, User
from tests.factories import PASSWORD, persona
from tests.reports.test_protection_canary import database_hits, needles, sqlite_image

STOLEN = "an attacker's guess: the database holds no key"


def _code(key: bytes) -> str:
    return f"{totp(key):06d}"


def _secret_needles(key: bytes) -> list[bytes]:
    """The secret in every form it could be stored in clear: raw, hex, base32 (as shown, grouped
    and not), base64."""
    b32 = base64.b32encode(key).decode().rstrip("=")
    grouped = " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))
    found = {key, key.hex().encode(), key.hex().upper().encode(), b32.encode(), b32.lower().encode()}
    found |= {*needles(grouped), base64.b64encode(key), base64.urlsafe_b64encode(key)}
    return sorted(found)


def _enrol_by_the_pages(username: str) -> tuple[Client, bytes]:
    client = Client()
    client.post("/staff/login/", {"username": username, "password": PASSWORD})
    page = client.get("/staff/login/code/").content.decode()
    shown = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page)
    assert shown is not None
    b32 = shown.group(1).replace(" ", "")
    key = base64.b32decode(b32 + "=" * (-len(b32) % 8))
    response = client.post("/staff/login/code/", {"code": _code(key)})
    assert response["Location"] == "/staff/"
    return client, key


@pytest.mark.django_db
def test_an_enrolled_secret_is_nowhere_in_the_database(org: None) -> None:
    user = persona("new.officer", "hq", Role.ANALYST, otp=False)
    client, key = _enrol_by_the_pages("new.officer")

    device = SealedTotpDevice.objects.get(user=user)
    assert (device.confirmed, device.bin_key, len(key)) == (True, key, 20)
    assert client.get("/staff/").status_code == 200
    assert TOTPDevice.objects.count() == 0
    assert database_hits(_secret_needles(key)) == []
    if connection.vendor == "sqlite":  # the pages, free ones included, as this connection holds them
        image = sqlite_image()
        assert [n for n in _secret_needles(key) if n in image] == []


@pytest.mark.django_db
def test_a_stolen_database_without_the_key_verifies_no_code(hq_analyst: User) -> None:
    device = SealedTotpDevice.objects.get(user=hq_analyst)
    key = device.bin_key
    sealed = bytes(device.sealed_key)

    with override_settings(TABYIN_OTP_KEY=STOLEN):
        stolen = SealedTotpDevice.objects.get(pk=device.pk)
        with pytest.raises(otp_sealing.OtpKeyError, match="not the key it was sealed with"):
            stolen.verify_token(_code(key))
    # Nor does the sealed secret open for another user (the user's id is bound to it).
    with pytest.raises(otp_sealing.OtpKeyError):
        otp_sealing.unseal(sealed, user_id=hq_analyst.pk + 1)
    # With the right key the same code is accepted, once (django-otp refuses a replay).
    assert SealedTotpDevice.objects.get(pk=device.pk).verify_token(_code(key)) is True
    assert SealedTotpDevice.objects.get(pk=device.pk).verify_token(_code(key)) is False


@pytest.mark.django_db
def test_tabyin_check_says_when_the_key_does_not_open_the_devices(hq_analyst: User) -> None:
    from tabyin.core.errors import OperatorError
    from tabyin.core.system import preflight

    assert preflight.otp_key_opens_devices() is None
    with (
        override_settings(TABYIN_OTP_KEY=STOLEN),
        pytest.raises(OperatorError, match="does not open the stored"),
    ):
        preflight.otp_key_opens_devices()


@pytest.mark.django_db
def test_the_sealed_device_is_what_django_otp_finds_and_throttles(hq_analyst: User) -> None:
    device = SealedTotpDevice.objects.get(user=hq_analyst)
    assert list(devices_for_user(hq_analyst)) == [device]
    assert device.persistent_id == f"core.sealedtotpdevice/{device.pk}"
    assert device.verify_token("000000" if _code(device.bin_key) != "000000" else "111111") is False
    again = SealedTotpDevice.objects.get(pk=device.pk)
    assert (again.throttling_failure_count, again.verify_is_allowed()[0]) == (1, False)
    issuer, b32 = quote(settings.OTP_TOTP_ISSUER), base64.b32encode(device.bin_key).decode()
    assert again.config_url == (
        f"otpauth://totp/{issuer}%3Ahq.analyst?secret={b32}&algorithm=SHA1&digits=6&period=30&issuer={issuer}"
    )


@pytest.mark.django_db
def test_an_administrator_reset_removes_the_sealed_device(hq_analyst: User) -> None:
    from tabyin.core.auth import services as services_auth

    admin = persona("hq.admin", "hq", Role.ADMINISTRATOR)
    assert services_auth.otp_reset(actor=admin, user=hq_analyst) == 1
    assert SealedTotpDevice.objects.filter(user=hq_analyst).count() == 0


# --- the data migration -------------------------------------------------------------------------

BEFORE = [("core", "0005_alter_auditentry_action"), ("otp_totp", "0003_add_timestamps")]
AFTER = [("core", "0006_totp_sealed_devices")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_clear_devices_are_sealed_and_the_clear_keys_removed() -> None:
    try:
        old = _migrate(BEFORE)
        users = old.get_model("core", "User")
        alice = users.objects.create(username="alice", password="!")
        bob = users.objects.create(username="bob", password="!")
        clear = old.get_model("otp_totp", "TOTPDevice")
        hex_key = "3132333435363738393031323334353637383930"  # RFC 6238's test secret
        confirmed = clear.objects.create(
            user=alice,
            name="phone",
            confirmed=True,
            key=hex_key,
            last_t=5,
            drift=1,
            throttling_failure_count=2,
        )
        clear.objects.create(user=bob, name="pending", confirmed=False, key="ab" * 20)

        new = _migrate(AFTER)

        assert new.get_model("otp_totp", "TOTPDevice").objects.count() == 0
        sealed = new.get_model("core", "SealedTotpDevice").objects
        rows = {d.user_id: d for d in sealed.all()}
        assert sorted(rows) == [alice.pk, bob.pk]
        moved = rows[alice.pk]
        fields = (moved.name, moved.confirmed, moved.last_t, moved.drift, moved.throttling_failure_count)
        assert fields == ("phone", True, 5, 1, 2)
        assert moved.created_at == confirmed.created_at
        assert otp_sealing.unseal(moved.sealed_key, user_id=alice.pk) == unhexlify(hex_key)
        assert otp_sealing.unseal(rows[bob.pk].sealed_key, user_id=bob.pk) == b"\xab" * 20
        assert (rows[bob.pk].name, rows[bob.pk].confirmed) == ("pending", False)
        assert database_hits(_secret_needles(unhexlify(hex_key))) == []

        # The reverse migration gives the clear devices back (an operator rolling back a release).
        back = _migrate(BEFORE)
        restored = back.get_model("otp_totp", "TOTPDevice").objects.get(user_id=alice.pk)
        assert (restored.key, restored.last_t, restored.confirmed) == (hex_key, 5, True)
        assert database_hits([hex_key.encode()]) != []  # the search does find a clear key
    finally:
        _migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_a_migrated_device_signs_in_end_to_end() -> None:
    try:
        old = _migrate(BEFORE)
        from django.contrib.auth.hashers import make_password

        user = old.get_model("core", "User").objects.create(
            username="carol", password=make_password(PASSWORD), is_staff=True, is_active=True
        )
        hex_key = "00112233445566778899aabbccddeeff00112233"
        old.get_model("otp_totp", "TOTPDevice").objects.create(
            user=user, name="phone", confirmed=True, key=hex_key
        )
        _migrate_to_latest()

        client = Client()
        client.post("/staff/login/", {"username": "carol", "password": PASSWORD})
        response = client.post("/staff/login/code/", {"code": _code(unhexlify(hex_key))})
        assert response["Location"] == "/staff/"
    finally:
        _migrate_to_latest()


def test_the_key_file_is_made_once_owner_only(tmp_path: Path) -> None:
    from tabyin.config import datadir

    first = datadir.otp_key(tmp_path)
    assert (len(first), datadir.otp_key(tmp_path)) == (67, first)
    assert (tmp_path / "otp_key").stat().st_mode & 0o777 == 0o600

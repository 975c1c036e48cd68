"""``tabyin manage otp_rotate_key``: every authenticator secret sealed again under a new key, all at
once or not at all; devices still accept their owner's code afterwards."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_otp.oath import totp

from tabyin.core import otp_sealing
from tabyin.core.auth import services_otp
from tabyin.core.enums import Role
from tabyin.core.models import SealedTotpDevice
from tests import factories

OLD = "old-authenticator-key-for-the-rotation-test-0123456789"


def _devices() -> list[SealedTotpDevice]:
    with override_settings(TABYIN_OTP_KEY=OLD):
        for name in ("hq.admin", "hq.analyst", "tehran.officer"):
            unit = "ir-23" if name.startswith("tehran") else "hq"
            factories.persona(name, unit, Role.ANALYST)
    return list(SealedTotpDevice.objects.order_by("pk"))


def _code(device: SealedTotpDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _secrets(key: str) -> list[bytes]:
    return [
        otp_sealing.unseal(d.sealed_key, user_id=d.user_id, secret=key)
        for d in SealedTotpDevice.objects.order_by("pk")
    ]


@pytest.mark.django_db
def test_rotation_with_the_key_in_the_data_directory(org: None, tmp_path: Path) -> None:
    devices = _devices()
    with override_settings(TABYIN_OTP_KEY=OLD):
        before = _secrets(OLD)
    (tmp_path / "otp_key").write_text(OLD)
    out = io.StringIO()
    with override_settings(TABYIN_OTP_KEY=OLD, DATA_DIR=tmp_path):
        call_command("otp_rotate_key", stdout=out)
    new = (tmp_path / "otp_key").read_text().strip()

    assert json.loads(out.getvalue().splitlines()[0]) == {
        "resealed": 3,
        "already": 0,
        "new_key": str(tmp_path / "otp_key"),
    }
    assert new != OLD and len(new) >= 60
    assert not (tmp_path / "otp_key.new").exists()
    assert oct((tmp_path / "otp_key").stat().st_mode & 0o777) == "0o600"
    assert _secrets(new) == before  # the same secrets: nobody re-enrols
    with pytest.raises(otp_sealing.OtpKeyError):
        _secrets(OLD)
    with override_settings(TABYIN_OTP_KEY=new):
        for device in devices:
            fresh = SealedTotpDevice.objects.get(pk=device.pk)
            assert fresh.verify_token(_code(fresh)) is True


@pytest.mark.django_db
def test_rotation_with_the_key_in_the_environment_needs_a_new_key_file(org: None, tmp_path: Path) -> None:
    _devices()
    with override_settings(TABYIN_OTP_KEY=OLD, DATA_DIR=tmp_path):
        with pytest.raises(CommandError, match="--new-key-file"):
            call_command("otp_rotate_key")
        out = io.StringIO()
        call_command("otp_rotate_key", "--new-key-file", str(tmp_path / "next"), stdout=out)
    new = (tmp_path / "next").read_text().strip()
    assert json.loads(out.getvalue().splitlines()[0])["resealed"] == 3
    assert len(_secrets(new)) == 3


@pytest.mark.django_db
def test_a_rotation_that_fails_half_way_changes_nothing(
    org: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _devices()
    stored = list(SealedTotpDevice.objects.order_by("pk").values_list("sealed_key", flat=True))
    real_seal = otp_sealing.seal
    calls: list[int] = []

    def seal_then_fail(raw: bytes, *, user_id: int, secret: str | None = None) -> bytes:
        calls.append(user_id)
        if len(calls) == 2:
            raise otp_sealing.OtpKeyError("disk full")  # the second device fails
        return real_seal(raw, user_id=user_id, secret=secret)

    monkeypatch.setattr(otp_sealing, "seal", seal_then_fail)
    (tmp_path / "otp_key").write_text(OLD)
    with (
        override_settings(TABYIN_OTP_KEY=OLD, DATA_DIR=tmp_path),
        pytest.raises(CommandError, match="nothing changed"),
    ):
        call_command("otp_rotate_key")

    assert len(calls) == 2
    after = list(SealedTotpDevice.objects.order_by("pk").values_list("sealed_key", flat=True))
    assert [bytes(b) for b in after] == [bytes(b) for b in stored]  # the first device was rolled back too
    assert (tmp_path / "otp_key").read_text() == OLD
    assert len(_secrets(OLD)) == 3  # everything still opens with the old key


@pytest.mark.django_db
def test_a_device_no_key_opens_stops_the_rotation_before_anything_changes(org: None) -> None:
    _devices()
    odd = SealedTotpDevice.objects.order_by("pk").last()
    assert odd is not None
    odd.sealed_key = otp_sealing.seal(b"x" * 20, user_id=odd.user_id, secret="a third key")
    odd.save(update_fields=["sealed_key"])
    with pytest.raises(otp_sealing.OtpKeyError):
        services_otp.otp_key_rotate(old=OLD, new="the new key")
    assert [len(s) for s in _secrets_of_first_two(OLD)] == [20, 20]


def _secrets_of_first_two(key: str) -> list[bytes]:
    devices = SealedTotpDevice.objects.order_by("pk")[:2]
    return [otp_sealing.unseal(d.sealed_key, user_id=d.user_id, secret=key) for d in devices]


@pytest.mark.django_db
def test_an_interrupted_rotation_is_finished_by_running_it_again(org: None, tmp_path: Path) -> None:
    devices = _devices()
    (tmp_path / "otp_key").write_text(OLD)
    (tmp_path / "otp_key.new").write_text("the key of the interrupted run 0123456789")
    # The first run committed the database, then stopped before replacing the key file.
    assert services_otp.otp_key_rotate(old=OLD, new="the key of the interrupted run 0123456789") == (
        services_otp.Rotated(resealed=3, already=0)
    )
    out = io.StringIO()
    with override_settings(TABYIN_OTP_KEY=OLD, DATA_DIR=tmp_path):
        call_command("otp_rotate_key", stdout=out)
    assert json.loads(out.getvalue().splitlines()[0])["already"] == 3
    assert (tmp_path / "otp_key").read_text() == "the key of the interrupted run 0123456789"
    with override_settings(TABYIN_OTP_KEY="the key of the interrupted run 0123456789"):
        fresh = SealedTotpDevice.objects.get(pk=devices[0].pk)
        assert fresh.verify_token(_code(fresh)) is True


def test_the_command_names_the_key_file_as_the_data_directory_does() -> None:
    from tabyin.config import datadir
    from tabyin.core.management.commands import otp_rotate_key

    assert otp_rotate_key.OTP_KEY_FILE == datadir.OTP_KEY_FILE

"""Cryptography and keys: what opens what, and who can never hold a key."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tabyin.core import services as core_services
from tabyin.core.enums import Role
from tabyin.core.models import Membership, User
from tabyin.reports.crypto import sodium
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import HandlerKey, KeyShare, ReportRecipient
from tests import factories
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

OPS, MEM = 1, 8 * 1024 * 1024


# --- sodium.py, pure ---------------------------------------------------------------------------


def test_seal_and_unseal_round_trip() -> None:
    public, private = sodium.keypair()
    sealed = sodium.seal(public, "گزارش canary".encode())
    assert sodium.unseal(private, sealed) == "گزارش canary".encode()
    assert sodium.unseal(memoryview(private), memoryview(sealed)) == "گزارش canary".encode()
    assert sodium.public_of(private) == public


def test_a_sealed_box_is_randomized_and_hides_its_plaintext() -> None:
    public, _ = sodium.keypair()
    first, second = sodium.seal(public, b"same text"), sodium.seal(public, b"same text")
    assert first != second
    assert b"same text" not in first
    assert len(first) == len(b"same text") + 48  # ephemeral public key 32 + MAC 16


@pytest.mark.abuse
def test_a_wrong_private_key_cannot_unseal() -> None:
    public, _ = sodium.keypair()
    _, other = sodium.keypair()
    with pytest.raises(sodium.DecryptError):
        sodium.unseal(other, sodium.seal(public, b"secret"))


@pytest.mark.abuse
@pytest.mark.parametrize("position", [0, 31, 40, -1])
def test_a_tampered_sealed_box_is_refused(position: int) -> None:
    public, private = sodium.keypair()
    sealed = bytearray(sodium.seal(public, b"secret report"))
    sealed[position] ^= 0x01
    with pytest.raises(sodium.DecryptError):
        sodium.unseal(private, bytes(sealed))


def test_secret_box_round_trip_and_json() -> None:
    key = sodium.new_key()
    assert len(key) == sodium.KEY_BYTES == 32
    assert sodium.decrypt(key, sodium.encrypt(key, b"x" * 1000)) == b"x" * 1000
    value = {"what": "رشوه", "answers": {"paid": "yes"}}
    assert sodium.decrypt_json(key, sodium.encrypt_json(key, value)) == value


@pytest.mark.abuse
def test_a_wrong_content_key_cannot_decrypt() -> None:
    with pytest.raises(sodium.DecryptError):
        sodium.decrypt(sodium.new_key(), sodium.encrypt(sodium.new_key(), b"secret"))


@pytest.mark.abuse
@pytest.mark.parametrize("position", [0, 23, 24, 39, 40, -1])
def test_a_tampered_ciphertext_is_refused(position: int) -> None:
    """Nonce (0–23), MAC (24–39) and body: a flipped bit anywhere is detected."""
    key = sodium.new_key()
    data = bytearray(sodium.encrypt(key, b"the report body"))
    data[position] ^= 0x80
    with pytest.raises(sodium.DecryptError):
        sodium.decrypt(key, bytes(data))


@pytest.mark.abuse
@pytest.mark.parametrize("cut", [0, 1, 39, 40])
def test_a_truncated_ciphertext_is_refused(cut: int) -> None:
    key = sodium.new_key()
    data = sodium.encrypt(key, b"the report body")
    with pytest.raises(sodium.DecryptError):
        sodium.decrypt(key, data[:cut])


def test_lock_and_unlock_with_the_passphrase() -> None:
    _, private = sodium.keypair()
    salt, locked = sodium.lock("a long passphrase", private, ops=OPS, mem=MEM)
    assert len(salt) == sodium.SALT_BYTES == 16
    assert private not in locked
    assert sodium.unlock("a long passphrase", salt, locked, ops=OPS, mem=MEM) == private


@pytest.mark.abuse
@pytest.mark.parametrize("guess", ["a long passphrasE", "a long passphrase ", "", "a long"])
def test_unlock_with_a_wrong_passphrase_fails(guess: str) -> None:
    _, private = sodium.keypair()
    salt, locked = sodium.lock("a long passphrase", private, ops=OPS, mem=MEM)
    with pytest.raises(sodium.DecryptError):
        sodium.unlock(guess, salt, locked, ops=OPS, mem=MEM)


@pytest.mark.abuse
def test_unlock_with_another_cost_fails() -> None:
    _, private = sodium.keypair()
    salt, locked = sodium.lock("a long passphrase", private, ops=OPS, mem=MEM)
    with pytest.raises(sodium.DecryptError):
        sodium.unlock("a long passphrase", salt, locked, ops=OPS + 1, mem=MEM)


def test_derive_is_deterministic_per_salt() -> None:
    one = sodium.derive(b"secret", b"s" * 16, ops=OPS, mem=MEM)
    assert one == sodium.derive(b"secret", b"s" * 16, ops=OPS, mem=MEM)
    assert one != sodium.derive(b"secret", b"t" * 16, ops=OPS, mem=MEM)
    assert len(sodium.derive(b"secret", b"s" * 16, ops=OPS, mem=MEM, size=64)) == 64


@pytest.mark.abuse
@pytest.mark.parametrize("text", ["not base64!", "QU=JD", "QUJ"])
def test_unb64_refuses_what_is_not_base64(text: str) -> None:
    with pytest.raises(ValueError):
        sodium.unb64(text)


# --- services_keys: passphrases and who may hold keys -------------------------------------------


@pytest.mark.abuse
@pytest.mark.parametrize("passphrase", ["", "short", "eleven char"])
def test_keys_setup_refuses_a_short_passphrase(org: None, passphrase: str) -> None:
    user = factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER)
    with pytest.raises(ValidationError) as refused:
        services_keys.keys_setup(user=user, passphrase=passphrase)
    assert refused.value.code == "short"
    assert refused.value.messages == ["The passphrase must have at least 12 characters."]
    assert not HandlerKey.objects.exists()


@pytest.mark.abuse
def test_keys_setup_refuses_the_sign_in_password(org: None) -> None:
    user = factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER)
    with pytest.raises(ValidationError) as refused:
        services_keys.keys_setup(user=user, passphrase=factories.PASSWORD)
    assert refused.value.code == "same_as_password"
    assert not HandlerKey.objects.exists()


def test_keys_setup_of_the_first_handler_creates_the_unit_keyring(tehran_security: User) -> None:
    key = HandlerKey.objects.get(user=tehran_security)
    share = KeyShare.objects.get(user=tehran_security)
    assert share.keyring.unit is not None and share.keyring.unit.code == "ir-23-security"
    assert (key.ops, key.mem) == (1, 8 * 1024 * 1024)  # tests/settings.py's low cost
    unlocked = services_keys.keys_unlock(user=tehran_security, passphrase=helpers.PASSPHRASE)
    private = services_keys.keyring_private(user=tehran_security, unlocked=unlocked, keyring=share.keyring)
    assert sodium.public_of(private) == bytes(share.keyring.public_key)


@pytest.mark.abuse
def test_keys_unlock_with_a_wrong_passphrase_is_refused(tehran_security: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services_keys.keys_unlock(user=tehran_security, passphrase=helpers.PASSPHRASE + "x")
    assert refused.value.code == "wrong"


@pytest.mark.abuse
def test_an_administrator_cannot_set_up_report_keys(hq_admin: User) -> None:
    with pytest.raises(PermissionDenied):
        services_keys.keys_setup(user=hq_admin, passphrase=helpers.PASSPHRASE)
    assert not HandlerKey.objects.exists()


@pytest.mark.abuse
@pytest.mark.parametrize(("unit", "role"), [("hq-security", Role.CASE_HANDLER), ("hq", Role.CUSTODIAN)])
def test_an_administrator_cannot_become_a_reader(hq_admin: User, unit: str, role: Role) -> None:
    with pytest.raises(ValidationError) as refused:
        core_services.membership_grant(actor=None, user=hq_admin, unit=factories.unit(unit), role=role)
    assert refused.value.code == "duties"
    assert list(Membership.objects.filter(user=hq_admin).values_list("role", flat=True)) == ["administrator"]


@pytest.mark.abuse
@pytest.mark.parametrize("fixture", ["tehran_security", "custodian"])
def test_a_reader_cannot_become_an_administrator(request: pytest.FixtureRequest, fixture: str) -> None:
    reader: User = request.getfixturevalue(fixture)
    with pytest.raises(ValidationError) as refused:
        core_services.membership_grant(
            actor=None, user=reader, unit=factories.unit("hq"), role=Role.ADMINISTRATOR
        )
    assert refused.value.code == "duties"
    assert not Membership.objects.filter(user=reader, role=Role.ADMINISTRATOR).exists()


# --- sharing: a new member reads nothing until a colleague shares; revocation ends it ----------


def _report_key(user: User, unlocked: services_keys.Unlocked) -> bytes:
    recipient = ReportRecipient.objects.get(unit__code="ir-23-security")
    private = services_keys.keyring_private(user=user, unlocked=unlocked, keyring=recipient.keyring)
    return sodium.unseal(private, recipient.sealed_content_key)


@pytest.mark.abuse
def test_a_new_handler_reads_only_after_a_colleague_shares(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    helpers.submit()
    newcomer = factories.persona("tehran.security2", "ir-23-security", Role.CASE_HANDLER)
    mine = helpers.keys_for(newcomer)
    keyring = services_keys.unit_keyring(factories.unit("ir-23-security"))
    assert keyring is not None
    with pytest.raises(PermissionDenied):
        _report_key(newcomer, mine)
    assert not services_keys.holds_share(newcomer, keyring)
    waiting = services_keys.keys_waiting(actor=tehran_security)
    assert [(w.keyring.pk, w.user.username) for w in waiting] == [(keyring.pk, "tehran.security2")]

    colleague = services_keys.keys_unlock(user=tehran_security, passphrase=helpers.PASSPHRASE)
    services_keys.keys_share(actor=tehran_security, unlocked=colleague, keyring=keyring, user=newcomer)
    assert _report_key(newcomer, mine) == _report_key(tehran_security, colleague)
    assert services_keys.keys_waiting(actor=tehran_security) == []


@pytest.mark.abuse
def test_a_handler_of_another_unit_cannot_be_given_a_share(
    tehran_security: User, tehran_inspection: User
) -> None:
    keyring = services_keys.unit_keyring(factories.unit("ir-23-security"))
    assert keyring is not None
    colleague = services_keys.keys_unlock(user=tehran_security, passphrase=helpers.PASSPHRASE)
    with pytest.raises(PermissionDenied):
        services_keys.keys_share(
            actor=tehran_security, unlocked=colleague, keyring=keyring, user=tehran_inspection
        )
    assert not services_keys.holds_share(tehran_inspection, keyring)


@pytest.mark.abuse
def test_an_administrator_cannot_be_given_a_share(tehran_security: User, hq_admin: User) -> None:
    keyring = services_keys.unit_keyring(factories.unit("ir-23-security"))
    assert keyring is not None
    colleague = services_keys.keys_unlock(user=tehran_security, passphrase=helpers.PASSPHRASE)
    with pytest.raises(PermissionDenied):
        services_keys.keys_share(actor=tehran_security, unlocked=colleague, keyring=keyring, user=hq_admin)


@pytest.mark.abuse
def test_someone_elses_unlocked_key_is_refused(tehran_security: User, tehran_inspection: User) -> None:
    keyring = services_keys.unit_keyring(factories.unit("ir-23-security"))
    assert keyring is not None
    theirs = services_keys.keys_unlock(user=tehran_inspection, passphrase=helpers.PASSPHRASE)
    with pytest.raises(PermissionDenied):
        services_keys.keyring_private(user=tehran_security, unlocked=theirs, keyring=keyring)


@pytest.mark.abuse
def test_a_revoked_handler_cannot_use_their_old_share(
    tehran_security: User, hq_units_with_keys: dict[str, User], hq_admin: User
) -> None:
    helpers.submit()
    unlocked = services_keys.keys_unlock(user=tehran_security, passphrase=helpers.PASSPHRASE)
    assert _report_key(tehran_security, unlocked)
    membership = Membership.objects.get(user=tehran_security, role=Role.CASE_HANDLER)
    core_services.membership_revoke(actor=hq_admin, membership=membership)

    # A fresh user object, as every request loads one (scope_for caches on the instance).
    revoked = User.objects.get(pk=tehran_security.pk)
    assert KeyShare.objects.filter(user=revoked).exists()  # the share row is still there …
    with pytest.raises(PermissionDenied):  # … and opens nothing without the role
        _report_key(revoked, unlocked)


@pytest.mark.abuse
def test_a_deactivated_unit_member_cannot_read(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    helpers.submit()
    unlocked = services_keys.keys_unlock(user=tehran_security, passphrase=helpers.PASSPHRASE)
    User.objects.filter(pk=tehran_security.pk).update(is_active=False)
    with pytest.raises(PermissionDenied):
        _report_key(User.objects.get(pk=tehran_security.pk), unlocked)


def test_replacing_a_key_voids_the_old_shares(tehran_security: User) -> None:
    """Documented behaviour of keys_setup: a new passphrase means a new key and no old shares."""
    keyring = services_keys.unit_keyring(factories.unit("ir-23-security"))
    services_keys.keys_setup(user=tehran_security, passphrase="another long passphrase")
    assert not services_keys.holds_share(tehran_security, keyring)
    assert HandlerKey.objects.filter(user=tehran_security).count() == 1


def test_recovery_reshares_a_keyring(settings: object, org: None) -> None:
    recovery_public, recovery_private = sodium.keypair()
    settings.TABYIN_REPORTS_RECOVERY_PUBLIC_KEY = sodium.b64(recovery_public)  # type: ignore[attr-defined]
    first = factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER)
    helpers.keys_for(first)
    keyring = services_keys.unit_keyring(factories.unit("ir-23-security"))
    assert keyring is not None and keyring.recovery_sealed is not None
    services_keys.keys_setup(user=first, passphrase="another long passphrase")  # the old share is gone
    services_keys.keys_recover(recovery_private=recovery_private, keyring=keyring, user=first)
    unlocked = services_keys.keys_unlock(user=first, passphrase="another long passphrase")
    private = services_keys.keyring_private(user=first, unlocked=unlocked, keyring=keyring)
    assert sodium.public_of(private) == bytes(keyring.public_key)


@pytest.mark.abuse
def test_recovery_never_gives_a_share_to_an_administrator(
    settings: object, org: None, hq_admin: User
) -> None:
    recovery_public, recovery_private = sodium.keypair()
    settings.TABYIN_REPORTS_RECOVERY_PUBLIC_KEY = sodium.b64(recovery_public)  # type: ignore[attr-defined]
    helpers.keys_for(factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER))
    keyring = services_keys.unit_keyring(factories.unit("ir-23-security"))
    assert keyring is not None
    with pytest.raises(PermissionDenied):
        services_keys.keys_recover(recovery_private=recovery_private, keyring=keyring, user=hq_admin)

"""The documented way back when every holder of a unit's key lost their passphrase."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, User
from tabyin.reports.cases import services as services_case
from tabyin.reports.crypto import sodium
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import KeyShare, ReportRecipient
from tests import factories
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

NEW_PASSPHRASE = "a brand new passphrase after the loss"


def _keygen() -> tuple[str, str]:
    out = StringIO()
    call_command("reports_recovery_keygen", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("TABYIN_REPORTS_RECOVERY_PUBLIC_KEY=")
    assert lines[2].startswith("PRIVATE recovery key: store it offline now.")
    public, private = lines[0].split("=", 1)[1], lines[3]
    assert sodium.public_of(sodium.unb64(private)) == sodium.unb64(public)
    return public, private


def _recover(monkeypatch: pytest.MonkeyPatch, private: str, *args: str) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(private + "\n"))
    out = StringIO()
    call_command("reports_recover", *args, stdout=out)
    return out.getvalue()


def test_every_handler_resets_then_the_recovery_key_gives_the_unit_back(
    org: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    public, private = _keygen()
    with override_settings(TABYIN_REPORTS_RECOVERY_PUBLIC_KEY=public):
        handlers = [
            factories.persona(name, "ir-23-security", Role.CASE_HANDLER)
            for name in ("tehran.security", "tehran.s2")
        ]
        first = helpers.keys_for(handlers[0])
        helpers.keys_for(handlers[1])
        keyring = services_keys.unit_keyring(factories.unit("ir-23-security"))
        assert keyring is not None and keyring.recovery_sealed is not None
        services_keys.keys_share(actor=handlers[0], unlocked=first, keyring=keyring, user=handlers[1])
        for kind in ("security", "inspection", "violations-board"):
            helpers.keys_for(factories.persona(f"hq.{kind}", f"hq-{kind}", Role.CASE_HANDLER))
        report = helpers.submit(what="گزارشی قدیمی که باید پس از بازیابی هم خوانا بماند.").report

        # Both handlers forget their passphrases and set new ones: their shares are void.
        for user in handlers:
            services_keys.keys_setup(user=user, passphrase=NEW_PASSPHRASE)
        assert not KeyShare.objects.filter(keyring=keyring).exists()
        unlocked = services_keys.keys_unlock(user=handlers[0], passphrase=NEW_PASSPHRASE)
        with pytest.raises(services_case.NoShareError):
            services_case.case_open(actor=handlers[0], unlocked=unlocked, report_id=report.pk)

        said = _recover(monkeypatch, private, "--unit", "ir-23-security", "--user", "tehran.security")

    # One key: the one retired when its last holder reset (the unit gets no new key by itself: a
    # two-person grant gives one, test_key_grants.py).
    assert (
        said
        == "tehran.security holds the keyring again (1 key(s)); they unlock it with their own passphrase.\n"
    )
    view = services_case.case_open(actor=handlers[0], unlocked=unlocked, report_id=report.pk)
    assert view.what == "گزارشی قدیمی که باید پس از بازیابی هم خوانا بماند."
    recipient = ReportRecipient.objects.get(report=report, unit__code="ir-23-security")
    assert recipient.keyring_id == keyring.pk
    entry = AuditEntry.objects.filter(object_type="reports.keyshare").latest("id")
    assert (entry.actor, entry.action, entry.after) == (None, "grant", {"recovered_for": "tehran.security"})


@pytest.mark.abuse
def test_recovery_refuses_bad_keys_and_targets(org: None, monkeypatch: pytest.MonkeyPatch) -> None:
    public, private = _keygen()
    other_public, other_private = _keygen()
    with override_settings(TABYIN_REPORTS_RECOVERY_PUBLIC_KEY=public):
        user = factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER)
        helpers.keys_for(user)
        factories.persona("hq.analyst", "hq", Role.ANALYST)
    cases = [
        (
            "not base64 !!",
            ["--unit", "ir-23-security", "--user", "tehran.security"],
            "that is not a base64 key",
        ),
        (
            sodium.b64(b"short"),
            ["--unit", "ir-23-security", "--user", "tehran.security"],
            "that is not a recovery key (32 bytes expected)",
        ),
        (
            other_private,
            ["--unit", "ir-23-security", "--user", "tehran.security"],
            "this recovery key does not open the keyring",
        ),
        (
            private,
            ["--unit", "ir-23-security", "--user", "hq.analyst"],
            "the user does not have the role that goes with this keyring",
        ),
        (
            private,
            ["--unit", "ir-01-security", "--user", "tehran.security"],
            "this keyring does not exist yet: a two-person grant creates it",
        ),
        (private, ["--unit", "nowhere", "--user", "tehran.security"], "no unit with the code nowhere"),
        (private, ["--unit", "ir-23-security", "--user", "ghost"], "no user ghost"),
    ]
    for key, args, message in cases:
        with pytest.raises(CommandError) as caught:
            _recover(monkeypatch, key, *args)
        assert str(caught.value) == message, args
    assert other_public != public
    assert User.objects.filter(username="tehran.security").exists()

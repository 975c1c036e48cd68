"""Keys over time: a changed passphrase keeps access; a lost one never leaves a unit unreadable."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tabyin.core import services as core_services
from tabyin.core.enums import Role
from tabyin.core.models import Membership, User
from tabyin.reports.config import routing
from tabyin.reports.crypto import sodium
from tabyin.reports.keys import services as services_keys
from tabyin.reports.models import Keyring, ReportRecipient
from tests import factories
from tests.reports import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]
NEW = "another long passphrase 1406"


def _reads(user: User, passphrase: str, recipient: ReportRecipient) -> bool:
    unlocked = services_keys.keys_unlock(user=user, passphrase=passphrase)
    try:
        private = services_keys.keyring_private(user=user, unlocked=unlocked, keyring=recipient.keyring)
    except PermissionDenied:
        return False
    sodium.unseal(private, recipient.sealed_content_key)
    return True


def test_changing_a_known_passphrase_keeps_every_share(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    helpers.submit()
    recipient = ReportRecipient.objects.get(unit__code="ir-23-security")

    services_keys.keys_change_passphrase(user=tehran_security, old=helpers.PASSPHRASE, new=NEW)

    assert _reads(tehran_security, NEW, recipient)
    with pytest.raises(Exception, match="does not open your key"):
        services_keys.keys_unlock(user=tehran_security, passphrase=helpers.PASSPHRASE)


def test_the_last_holder_resetting_retires_the_key_and_new_reports_go_to_headquarters(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    helpers.submit()
    old = ReportRecipient.objects.get(unit__code="ir-23-security")

    services_keys.keys_setup(user=tehran_security, passphrase=NEW)  # "I lost my passphrase"

    keyrings = Keyring.objects.filter(unit__code="ir-23-security").order_by("id")
    # No new key by oneself (issue 15.1): a two-person grant gives one (test_key_grants.py).
    assert [k.retired_at is not None for k in keyrings] == [True]
    assert not _reads(tehran_security, NEW, old)  # sealed to the retired key: only recovery opens it
    helpers.submit()
    new = ReportRecipient.objects.filter(unit__code__in=["ir-23-security", "hq-security"]).latest("id")
    assert new.unit.code == "hq-security"


def test_a_colleague_resetting_does_not_retire_a_key_others_still_hold(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    colleague = factories.persona("tehran.security2", "ir-23-security", Role.CASE_HANDLER)
    helpers.keys_for(colleague)
    keyring = services_keys.unit_keyring(factories.unit("ir-23-security"))
    assert keyring is not None
    services_keys.keys_share(
        actor=tehran_security,
        unlocked=services_keys.keys_unlock(user=tehran_security, passphrase=helpers.PASSPHRASE),
        keyring=keyring,
        user=colleague,
    )

    services_keys.keys_setup(user=colleague, passphrase=NEW)

    assert list(Keyring.objects.filter(unit__code="ir-23-security").values_list("retired_at", flat=True)) == [
        None
    ]
    assert services_keys.keys_waiting(actor=tehran_security)[0].user == colleague


def test_a_unit_whose_only_holder_left_hands_new_reports_to_headquarters(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    membership = Membership.objects.get(user=tehran_security, unit__code="ir-23-security")
    core_services.membership_revoke(
        actor=factories.persona("hq.admin", "hq", Role.ADMINISTRATOR), membership=membership
    )

    assert "ir-23-security" not in {k.unit.code for k in routing.readable_keyrings()}
    helpers.submit(category="leak", q_personal_data="yes")
    assert [(r.unit.code, helpers.route_note(r)) for r in ReportRecipient.objects.all()] == [
        ("hq-security", "no keys yet at ir-23-security")
    ]


def test_the_keys_page_changes_a_passphrase_and_warns_a_sole_holder_before_a_reset(
    tehran_security: User, hq_units_with_keys: dict[str, User]
) -> None:
    from django.urls import reverse

    from tests.conftest import verified_client

    client = verified_client(tehran_security)
    page = client.get(reverse("reports:keys")).content.decode()
    assert 'data-testid="sole"' in page and "حراست تهران" in page

    response = client.post(
        reverse("reports:keys"),
        {
            "action": "change",
            "change-current": helpers.PASSPHRASE,
            "change-passphrase": NEW,
            "change-again": NEW,
        },
    )

    assert response.status_code == 302
    assert services_keys.keys_unlock(user=tehran_security, passphrase=NEW).user_id == tehran_security.pk
    wrong = client.post(
        reverse("reports:keys"),
        {
            "action": "change",
            "change-current": "not it at all 123",
            "change-passphrase": NEW,
            "change-again": NEW,
        },
    )
    assert "That passphrase does not open your key." in wrong.content.decode()

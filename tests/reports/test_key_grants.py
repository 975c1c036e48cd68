"""Issue 15.1: no one person can become a reader.

The finding: a provincial administrator created a case-handler account for a unit with no key
holder, received its set-password link, set a passphrase and became the unit's first holder, then
read the next report routed there. Now a unit with no holder gets one only when two people agree,
at least one of them a trustee (a holder of an HQ unit's or the custodians' key, opened now).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tabyin.core.enums import Role
from tabyin.core.models import SealedTotpDevice, User
from tabyin.reports.config import routing
from tabyin.reports.enums import GrantKind, GrantState
from tabyin.reports.keys import services as services_keys
from tabyin.reports.keys import services_grants
from tabyin.reports.models import KeyGrant, Keyring, KeyShare, ReportRecipient
from tests import factories
from tests.conftest import verified_client
from tests.reports import helpers
from tests.reports.test_case_services import CANARY, opened, report_for_tehran

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _newcomer(admin: User, staff_client: object) -> tuple[User, Client]:
    """The finding's steps over HTTP: the administrator makes the account, takes the e-mailed
    set-password link, sets the password and then the passphrase."""
    client: Client = staff_client(admin)  # type: ignore[operator]
    client.post(
        "/staff/admin/core/user/add/",
        {
            "username": "tehran.security.new",
            "display_name": "",
            "email": "mine@example.org",
            "unit": str(factories.unit("ir-23-security").pk),
            "role": "case_handler",
        },
    )
    found = re.search(r"http://testserver(/staff/password/set/[^\s]+/)", str(mail.outbox[-1].body))
    assert found
    browser = Client()
    set_url = browser.get(found.group(1), follow=True).redirect_chain[-1][0]
    browser.post(
        set_url,
        {"new_password1": "four unrelated plain words", "new_password2": "four unrelated plain words"},
    )
    user = User.objects.get(username="tehran.security.new")
    assert user.check_password("four unrelated plain words")
    SealedTotpDevice.objects.create(user=user, name="phone", confirmed=True)  # as after enrolment
    page = verified_client(user)
    page.post(
        reverse("reports:keys"),
        {"action": "setup", "setup-passphrase": helpers.PASSPHRASE, "setup-again": helpers.PASSPHRASE},
    )
    return user, page


def test_an_administrator_alone_cannot_make_a_reader(
    tehran_admin: User, hq_units_with_keys: dict[str, User], staff_client: object
) -> None:
    user, page = _newcomer(tehran_admin, staff_client)
    assert services_keys.has_key(user)
    assert not KeyShare.objects.filter(user=user).exists()
    assert not Keyring.objects.filter(unit__code="ir-23-security").exists()

    report, _code = report_for_tehran()
    assert set(ReportRecipient.objects.filter(report=report).values_list("unit__code", flat=True)) == {
        "hq-security",
        "hq-violations-board",
    }
    response = page.get(reverse("reports:case", args=[report.pk]))
    assert response.status_code == 404 and CANARY not in response.content.decode()

    # The administrator proposes; no second administrator, nor the newcomer, can complete it.
    grant = services_grants.grant_propose(
        actor=tehran_admin, unlocked=None, grantee=user, unit=factories.unit("ir-23-security")
    )
    other_admin = factories.persona("hq.admin", "hq", Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        services_grants.grant_approve(actor=other_admin, unlocked=None, grant=grant)
    with pytest.raises(PermissionDenied):
        services_grants.grant_approve(actor=tehran_admin, unlocked=None, grant=grant)
    with pytest.raises(PermissionDenied):
        services_grants.grant_approve(actor=user, unlocked=opened(user), grant=grant)
    # A trustee whose key is locked (e.g. someone who reset their sign-in password) does not count.
    with pytest.raises(PermissionDenied):
        services_grants.grant_approve(actor=hq_units_with_keys["security"], unlocked=None, grant=grant)
    assert KeyGrant.objects.get().state == GrantState.PENDING
    assert not Keyring.objects.filter(unit__code="ir-23-security").exists()


def test_a_trustee_who_reset_their_passphrase_is_no_longer_a_trustee(
    tehran_admin: User, hq_units_with_keys: dict[str, User], staff_client: object
) -> None:
    user, _page = _newcomer(tehran_admin, staff_client)
    grant = services_grants.grant_propose(
        actor=tehran_admin, unlocked=None, grantee=user, unit=factories.unit("ir-23-security")
    )
    trustee = hq_units_with_keys["security"]
    # Whoever takes over the account with a new sign-in password can only set a new passphrase,
    # which voids the account's shares: it opens no trustee key any more.
    reset = services_keys.keys_setup(user=trustee, passphrase="a brand new passphrase 1406")
    with pytest.raises(PermissionDenied):
        services_grants.grant_approve(actor=trustee, unlocked=reset, grant=grant)


def test_an_administrator_and_a_trustee_make_the_first_holder_and_the_unit_reads_what_comes_next(
    tehran_admin: User,
    hq_units_with_keys: dict[str, User],
    staff_client: object,
    django_capture_on_commit_callbacks: Any,
) -> None:
    user, page = _newcomer(tehran_admin, staff_client)
    colleague = factories.persona("tehran.security2", "ir-23-security", Role.CASE_HANDLER)
    colleague.email = "colleague@example.org"
    colleague.save()
    services_keys.keys_setup(user=colleague, passphrase=helpers.PASSPHRASE)
    trustee = hq_units_with_keys["security"]
    unit = factories.unit("ir-23-security")
    assert [(c.unit, c.user.username) for c in services_grants.candidates(tehran_admin)] == [
        (unit, "tehran.security.new"),
        (unit, "tehran.security2"),
    ]

    grant = services_grants.grant_propose(actor=tehran_admin, unlocked=None, grantee=user, unit=unit)
    assert services_grants.candidates(tehran_admin) == []  # the unit's grant is waiting
    with pytest.raises(ValidationError):  # one waiting grant per key
        services_grants.grant_propose(actor=trustee, unlocked=opened(trustee), grantee=colleague, unit=unit)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = services_grants.grant_approve(actor=trustee, unlocked=opened(trustee), grant=grant)

    assert (done.state, done.kind, done.proposed_by, done.approved_by) == (
        GrantState.GRANTED,
        GrantKind.TWO_PERSON,
        tehran_admin,
        trustee,
    )
    assert list(
        KeyShare.objects.filter(keyring__unit=unit).values_list("user__username", "granted_by__username")
    ) == [("tehran.security.new", "hq.security")]
    assert "ir-23-security" in {k.unit.code for k in routing.readable_keyrings()}
    # The new holder and everyone else with the role in the unit are told (nothing about a report).
    assert [m.to for m in mail.outbox] == [["mine@example.org"], ["colleague@example.org"]]
    assert mail.outbox[0].subject == "فرد تازه‌ای می‌تواند گزارش‌های واحد شما را بخواند"  # in Persian

    report, _code = report_for_tehran()
    assert set(ReportRecipient.objects.filter(report=report).values_list("unit__code", flat=True)) == {
        "ir-23-security",
        "hq-violations-board",  # Tehran's board still has no holder
    }
    page.post(reverse("reports:keys"), {"action": "unlock", "unlock-passphrase": helpers.PASSPHRASE})
    assert CANARY in page.get(reverse("reports:case", args=[report.pk])).content.decode()
    with pytest.raises(ValidationError):  # now a holder shares; no second two-person grant
        services_grants.grant_propose(actor=tehran_admin, unlocked=None, grantee=colleague, unit=unit)


def test_a_holder_share_is_recorded_and_the_other_holders_are_told(
    tehran_security: User, django_capture_on_commit_callbacks: Any
) -> None:
    third = factories.persona("tehran.security3", "ir-23-security", Role.CASE_HANDLER)
    colleague = factories.persona("tehran.security2", "ir-23-security", Role.CASE_HANDLER)
    for user, address in ((third, "third@example.org"), (colleague, "colleague@example.org")):
        user.email = address
        user.save()
        services_keys.keys_setup(user=user, passphrase=helpers.PASSPHRASE)
    keyring = services_keys.unit_keyring(factories.unit("ir-23-security"))
    assert keyring is not None
    services_keys.keys_share(
        actor=tehran_security, unlocked=opened(tehran_security), keyring=keyring, user=third
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_keys.keys_share(
            actor=tehran_security, unlocked=opened(tehran_security), keyring=keyring, user=colleague
        )
    assert [m.to for m in mail.outbox] == [["third@example.org"]]
    assert list(
        KeyGrant.objects.order_by("id").values_list("kind", "grantee__username", "approved_by__username")
    ) == [
        ("holder", "tehran.security3", "tehran.security"),
        ("holder", "tehran.security2", "tehran.security"),
    ]


def test_the_last_holders_reset_needs_a_two_person_grant(
    tehran_security: User, hq_units_with_keys: dict[str, User], custodian: User
) -> None:
    services_keys.keys_setup(user=tehran_security, passphrase="another long passphrase 1406")
    assert Keyring.objects.get(unit__code="ir-23-security").retired_at is not None
    assert services_keys.unit_keyring(factories.unit("ir-23-security")) is None
    unit = factories.unit("ir-23-security")
    trustee = hq_units_with_keys["security"]
    grant = services_grants.grant_propose(
        actor=trustee, unlocked=opened(trustee), grantee=tehran_security, unit=unit
    )
    services_grants.grant_approve(actor=custodian, unlocked=opened(custodian), grant=grant)  # two trustees
    assert services_keys.holders(services_keys.unit_keyring(unit)) == [tehran_security]  # type: ignore[arg-type]


def test_the_installation_key_only_while_no_trustee_exists(org: None) -> None:
    custodian = factories.persona("hq.custodian", "hq", Role.CUSTODIAN)
    services_keys.keys_setup(user=custodian, passphrase=helpers.PASSPHRASE)
    grant = services_grants.grant_bootstrap(grantee=custodian, unit=None)
    assert (grant.kind, services_keys.holders(grant.keyring)) == (GrantKind.INSTALLATION, [custodian])  # type: ignore[arg-type]
    handler = factories.persona("hq.security", "hq-security", Role.CASE_HANDLER)
    services_keys.keys_setup(user=handler, passphrase=helpers.PASSPHRASE)
    with pytest.raises(PermissionDenied):
        services_grants.grant_bootstrap(grantee=handler, unit=factories.unit("hq-security"))


def test_the_protections_page_counts_the_grants(tehran_security: User, custodian: User) -> None:
    KeyGrant.objects.create(kind=GrantKind.TWO_PERSON, state=GrantState.GRANTED, purpose="unit")
    KeyGrant.objects.create(kind=GrantKind.TWO_PERSON, state=GrantState.PENDING, purpose="unit")
    KeyGrant.objects.create(kind=GrantKind.HOLDER, state=GrantState.GRANTED, purpose="unit")
    KeyGrant.objects.create(kind=GrantKind.HOLDER, state=GrantState.GRANTED, purpose="unit")
    KeyGrant.objects.create(kind=GrantKind.INSTALLATION, state=GrantState.GRANTED, purpose="custodian")
    assert services_grants.granted_counts() == {
        "holder": 2,
        "two_person": 1,
        "installation": 1,
        "recovery": 0,
    }
    page = Client().get(reverse("reports:protections")).content.decode()
    assert 'data-grants="two_person 1 holder 2 installation 1 recovery 0"' in page


def test_the_grants_page_over_http(
    tehran_admin: User, hq_units_with_keys: dict[str, User], hq_analyst: User
) -> None:
    newcomer = factories.persona("tehran.security.new", "ir-23-security", Role.CASE_HANDLER)
    services_keys.keys_setup(user=newcomer, passphrase=helpers.PASSPHRASE)
    url = reverse("reports:grants")
    assert verified_client(hq_analyst).get(url).status_code == 403
    assert verified_client(newcomer).get(url).status_code == 403  # a handler of a provincial unit

    admin = verified_client(tehran_admin)
    page = admin.get(url).content.decode()
    value = f"{factories.unit('ir-23-security').pk}:{newcomer.pk}"
    assert f'<option value="{value}">' in page
    assert admin.post(url, {"action": "propose", "candidate": "999:999"}).status_code == 404
    admin.post(url, {"action": "propose", "candidate": value})
    grant = KeyGrant.objects.get()
    admin.post(url, {"action": "approve", "grant": str(grant.pk)})  # not by the proposer
    assert KeyGrant.objects.get().state == GrantState.PENDING

    trustee = verified_client(hq_units_with_keys["security"])
    locked = trustee.post(url, {"action": "approve", "grant": str(grant.pk)})
    assert locked.status_code == 302 and locked["Location"].startswith(reverse("reports:keys"))
    assert KeyGrant.objects.get().state == GrantState.PENDING
    trustee.post(reverse("reports:keys"), {"action": "unlock", "unlock-passphrase": helpers.PASSPHRASE})
    assert f'data-grant="{grant.pk}"' in trustee.get(url).content.decode()
    trustee.post(url, {"action": "approve", "grant": str(grant.pk)})
    assert KeyGrant.objects.get().state == GrantState.GRANTED
    assert services_keys.holders(services_keys.unit_keyring(factories.unit("ir-23-security"))) == [newcomer]  # type: ignore[arg-type]


def test_the_bootstrap_command(org: None) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    custodian = factories.persona("hq.custodian", "hq", Role.CUSTODIAN)
    handler = factories.persona("hq.security", "hq-security", Role.CASE_HANDLER)
    with pytest.raises(CommandError, match="has not set a passphrase yet"):
        call_command("reports_keys_bootstrap", "--custodian", "--user", "hq.custodian")
    services_keys.keys_setup(user=custodian, passphrase=helpers.PASSPHRASE)
    services_keys.keys_setup(user=handler, passphrase=helpers.PASSPHRASE)
    out = StringIO()
    call_command("reports_keys_bootstrap", "--custodian", "--user", "hq.custodian", stdout=out)
    assert out.getvalue() == "hq.custodian now holds the custodians key\n"
    with pytest.raises(CommandError, match="a trustee key exists"):
        call_command("reports_keys_bootstrap", "--unit", "hq-security", "--user", "hq.security")
    with pytest.raises(CommandError, match="no unit with the code nowhere"):
        call_command("reports_keys_bootstrap", "--unit", "nowhere", "--user", "hq.security")
    assert list(KeyGrant.objects.values_list("kind", "grantee__username")) == [
        ("installation", "hq.custodian")
    ]

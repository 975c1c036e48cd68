"""The key page: set a passphrase, unlock, lock, share with a colleague, forget at log-out."""

from __future__ import annotations

import pytest
from django.contrib.auth.signals import user_logged_out
from django.test import Client
from django.urls import reverse

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.reports.crypto import vault
from tabyin.reports.keys import views as views_keys
from tabyin.reports.models import HandlerKey, KeyShare
from tests import factories
from tests.conftest import verified_client
from tests.reports import helpers
from tests.reports.test_case_services import CANARY, report_for_tehran

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

KEYS = "/en/staff/reports/keys/"
COOKIE = vault.COOKIE_PREFIX + vault.HANDLER.name


def unlock(client: Client, passphrase: str = helpers.PASSPHRASE, next_url: str = "") -> object:
    return client.post(KEYS, {"action": "unlock", "unlock-passphrase": passphrase, "next": next_url})


def test_urls_are_where_the_lead_mounts_them() -> None:
    assert reverse("reports:keys") == "/en/staff/reports/keys/"
    assert reverse("reports:staff-file", args=[3, 4]) == "/en/staff/reports/3/files/4/"
    assert reverse("reports:export") == "/en/staff/reports/export.csv"


def test_a_new_handler_sets_a_passphrase_and_holds_nothing_yet(org: None) -> None:
    user = factories.persona("tehran.security", "ir-23-security", Role.CASE_HANDLER)
    client = verified_client(user)
    page = client.get(KEYS)
    assert page.status_code == 200
    assert "separate from your sign-in password" in page.content.decode()

    differ = client.post(KEYS, {"action": "setup", "setup-passphrase": "x" * 14, "setup-again": "y" * 14})
    assert "The two passphrases differ." in differ.content.decode()
    same = factories.PASSWORD
    refused = client.post(KEYS, {"action": "setup", "setup-passphrase": same, "setup-again": same})
    assert "different from your sign-in password" in refused.content.decode()
    assert not HandlerKey.objects.exists()

    done = client.post(
        KEYS, {"action": "setup", "setup-passphrase": helpers.PASSPHRASE, "setup-again": helpers.PASSPHRASE}
    )
    assert done.status_code == 302 and done["Location"] == "/en/staff/reports/"
    assert done.cookies[COOKIE]["httponly"] and done.cookies[COOKIE]["samesite"] == "Strict"
    # The key opens nothing by itself: a holder shares, or two people grant (test_key_grants.py).
    assert HandlerKey.objects.get().user == user
    assert not KeyShare.objects.exists()
    assert "Your key is unlocked" in client.get(KEYS).content.decode()


@pytest.mark.abuse
def test_unlock_checks_the_passphrase_and_never_redirects_off_site(tehran_security: User) -> None:
    client = verified_client(tehran_security)
    wrong = unlock(client, "not the passphrase at all")
    assert "That passphrase does not open your key." in wrong.content.decode()  # type: ignore[attr-defined]
    assert COOKIE not in client.cookies or not client.cookies[COOKIE].value
    off_site = unlock(client, next_url="https://evil.example/steal")
    assert off_site["Location"] == "/en/staff/reports/"  # type: ignore[index]


@pytest.mark.abuse
def test_unlock_over_https_never_redirects_to_plain_http(tehran_security: User) -> None:
    """Issue 16.3: the key page once checked ``next`` with ``require_https=False``, so a link could
    send a handler who had just opened their key from the HTTPS site to its unencrypted twin."""
    client = verified_client(tehran_security)
    case = "/en/staff/reports/5/"
    plain = client.post(
        KEYS,
        {"action": "unlock", "unlock-passphrase": helpers.PASSPHRASE, "next": f"http://testserver{case}"},
        secure=True,
    )
    assert plain["Location"] == "/en/staff/reports/"
    encrypted = client.post(
        KEYS,
        {"action": "unlock", "unlock-passphrase": helpers.PASSPHRASE, "next": f"https://testserver{case}"},
        secure=True,
    )
    assert encrypted["Location"] == f"https://testserver{case}"


def test_a_case_needs_the_key_and_locking_ends_access(tehran_security: User) -> None:
    report, _code = report_for_tehran()
    client = verified_client(tehran_security)
    case = reverse("reports:case", args=[report.pk])
    assert (
        client.get(case)["Location"]
        == f"/en/staff/reports/keys/?next=%2Fen%2Fstaff%2Freports%2F{report.pk}%2F"
    )
    back = unlock(client, next_url=case)
    assert back["Location"] == case  # type: ignore[index]
    assert CANARY in client.get(case).content.decode()
    client.post(reverse("reports:keys-lock"))
    assert client.get(case).status_code == 302


def test_logging_out_forgets_the_opened_key(tehran_security: User) -> None:
    report, _code = report_for_tehran()
    client = verified_client(tehran_security)
    unlock(client)
    cookie = client.cookies[COOKIE].value
    user_logged_out.connect(views_keys.forget_on_logout, dispatch_uid="test-forget")
    try:
        client.post(reverse("core:logout"))
    finally:
        user_logged_out.disconnect(dispatch_uid="test-forget")
    again = verified_client(tehran_security)
    again.cookies[COOKIE] = cookie  # the old cookie opens nothing any more
    assert again.get(reverse("reports:case", args=[report.pk])).status_code == 302


def test_a_holder_shares_the_unit_key_with_a_waiting_colleague(tehran_security: User) -> None:
    report, _code = report_for_tehran()
    colleague = factories.persona("tehran.security2", "ir-23-security", Role.CASE_HANDLER)
    helpers.keys_for(colleague)
    theirs = verified_client(colleague)
    unlock(theirs)
    assert theirs.get(reverse("reports:case", args=[report.pk])).status_code == 403

    mine = verified_client(tehran_security)
    unlock(mine)
    page = mine.get(KEYS).content.decode()
    assert "Colleagues waiting for the key" in page and "tehran.security2" in page
    keyring = KeyShare.objects.get(user=tehran_security).keyring
    shared = mine.post(reverse("reports:keys-share"), {"keyring": keyring.pk, "user": colleague.pk})
    assert shared.status_code == 302
    assert KeyShare.objects.filter(user=colleague, keyring=keyring, granted_by=tehran_security).exists()
    assert CANARY in theirs.get(reverse("reports:case", args=[report.pk])).content.decode()


@pytest.mark.abuse
def test_no_share_for_a_stranger_or_with_garbage_ids(tehran_security: User, tehran_inspection: User) -> None:
    mine = verified_client(tehran_security)
    unlock(mine)
    keyring = KeyShare.objects.get(user=tehran_security).keyring
    assert (
        mine.post(
            reverse("reports:keys-share"), {"keyring": keyring.pk, "user": tehran_inspection.pk}
        ).status_code
        == 403
    )
    assert mine.post(reverse("reports:keys-share"), {"keyring": "x'--", "user": "1"}).status_code == 404
    assert not KeyShare.objects.filter(user=tehran_inspection, keyring=keyring).exists()


def test_an_administrator_has_no_key_page(hq_admin: User) -> None:
    client = verified_client(hq_admin)
    assert client.get(KEYS).status_code == 403
    assert (
        client.post(
            KEYS,
            {"action": "setup", "setup-passphrase": helpers.PASSPHRASE, "setup-again": helpers.PASSPHRASE},
        ).status_code
        == 403
    )
    assert not HandlerKey.objects.exists()

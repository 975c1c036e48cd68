"""New staff set their first password, and anyone can reset a forgotten one, by e-mailed link."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from tabyin.core.models import User
from tests.factories import unit


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"http://testserver(/staff/password/set/[^\s]+/)", str(message.body))
    assert found, message.body
    return found.group(1)


def test_admin_created_account_gets_a_link_and_sets_its_password(
    hq_admin: User, staff_client: object
) -> None:
    client: Client = staff_client(hq_admin)  # type: ignore[operator]
    client.post(
        "/staff/admin/core/user/add/",
        {
            "username": "qom.officer",
            "display_name": "کارشناس قم",
            "email": "qom@example.org",
            "unit": str(unit("ir-25").pk),
            "role": "provincial_officer",
        },
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["qom@example.org"]
    link = _link(mail.outbox[0])

    newcomer = Client()
    form_page = newcomer.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = newcomer.post(
        set_url,
        {"new_password1": "four unrelated plain words", "new_password2": "four unrelated plain words"},
    )

    assert done["Location"] == "/staff/password/saved/"
    user = User.objects.get(username="qom.officer")
    assert user.check_password("four unrelated plain words") is True
    # The link is single-use: the token changes with the password.
    assert newcomer.get(link, follow=True).context["validlink"] is False


def test_forgot_password_sends_one_link_and_reveals_nothing(hq_analyst: User) -> None:
    hq_analyst.email = "analyst@example.org"
    hq_analyst.save()
    client = Client()

    known = client.post("/staff/password/forgot/", {"email": "ANALYST@example.org"})
    again = client.post("/staff/password/forgot/", {"email": "analyst@example.org"})
    unknown = client.post("/staff/password/forgot/", {"email": "nobody@example.org"})

    assert known.content == unknown.content == again.content  # same answer whether or not it exists
    assert [m.to for m in mail.outbox] == [["analyst@example.org"]]  # once per five minutes


def test_inactive_accounts_get_no_link(hq_analyst: User) -> None:
    hq_analyst.email = "analyst@example.org"
    hq_analyst.is_active = False
    hq_analyst.save()

    Client().post("/staff/password/forgot/", {"email": "analyst@example.org"})

    assert mail.outbox == []


def test_admin_resets_a_lost_second_factor(hq_admin: User, hq_analyst: User, staff_client: object) -> None:
    from tabyin.core.models import AuditEntry, SealedTotpDevice

    client: Client = staff_client(hq_admin)  # type: ignore[operator]
    response = client.post(
        "/staff/admin/core/user/",
        {"action": "reset_second_factor", "_selected_action": [str(hq_analyst.pk)]},
    )

    assert response.status_code == 302
    assert SealedTotpDevice.objects.filter(user=hq_analyst).count() == 0
    assert AuditEntry.objects.filter(action="otp_reset", object_id=str(hq_analyst.pk)).count() == 1

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp

from tabyin.core.enums import Role
from tabyin.core.models import AuditEntry, SealedTotpDevice, User
from tests.factories import PASSWORD, persona


def _code(device: SealedTotpDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _password_step(client: Client, username: str, password: str = PASSWORD) -> object:
    return client.post("/staff/login/", {"username": username, "password": password})


def test_staff_pages_need_a_login(org: None) -> None:
    response = Client().get("/staff/")

    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=%2Fstaff%2F"


def test_password_alone_does_not_open_the_staff_area(hq_analyst: User) -> None:
    client = Client()
    response = _password_step(client, "hq.analyst")

    assert response.status_code == 302
    assert response["Location"] == "/staff/login/code/"
    assert client.get("/staff/")["Location"] == "/staff/login/code/"


def test_code_step_with_a_right_code_opens_the_staff_area(hq_analyst: User) -> None:
    client = Client()
    _password_step(client, "hq.analyst")
    device = SealedTotpDevice.objects.get(user=hq_analyst)

    response = client.post("/staff/login/code/", {"code": _code(device)})

    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "کارشناس روابط عمومی" in page.content.decode()
    assert AuditEntry.objects.filter(actor=hq_analyst, action="login").count() == 1


def test_code_typed_with_persian_digits_is_accepted(hq_analyst: User) -> None:
    client = Client()
    _password_step(client, "hq.analyst")
    code = _code(SealedTotpDevice.objects.get(user=hq_analyst))
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))

    response = client.post("/staff/login/code/", {"code": f"{persian[:3]} {persian[3:]}"})

    assert response["Location"] == "/staff/"


def test_wrong_code_is_refused_and_audited(hq_analyst: User) -> None:
    client = Client()
    _password_step(client, "hq.analyst")

    response = client.post("/staff/login/code/", {"code": "000000"})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode() or "درست نیست" in response.content.decode()
    assert client.get("/staff/")["Location"] == "/staff/login/code/"
    assert AuditEntry.objects.filter(actor=hq_analyst, action="login_failed").count() == 1


def test_first_login_enrols_an_authenticator(org: None) -> None:
    persona("new.user", "hq", Role.ANALYST, otp=False)
    client = Client()
    _password_step(client, "new.user")

    page = client.get("/staff/login/code/")
    device = SealedTotpDevice.objects.get(user__username="new.user")
    assert device.confirmed is False
    assert b"<svg" in page.content
    assert 'data-testid="totp-secret"' in page.content.decode()

    response = client.post("/staff/login/code/", {"code": _code(device)})

    assert response["Location"] == "/staff/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert AuditEntry.objects.filter(actor__username="new.user", action="otp_enrolled").count() == 1


def test_repeated_wrong_passwords_lock_the_user_name(hq_analyst: User, settings: object) -> None:
    client = Client()
    for _ in range(5):
        _password_step(client, "hq.analyst", "wrong password")

    response = _password_step(client, "hq.analyst")  # now even the right password is refused

    assert response.status_code == 429
    assert (
        "Too many failed log-ins" in response.content.decode() or "ورود ناموفق" in response.content.decode()
    )
    assert AuditEntry.objects.filter(actor_username="hq.analyst", action="login_failed").count() == 6


def test_lockout_counts_user_names_not_addresses(hq_analyst: User, tehran_officer: User) -> None:
    client = Client()
    for _ in range(5):
        _password_step(client, "hq.analyst", "wrong password")

    response = _password_step(client, "tehran.officer")

    assert response["Location"] == "/staff/login/code/"


def test_logout_needs_post_and_ends_the_session(hq_analyst: User, staff_client: object) -> None:
    client = staff_client(hq_analyst)  # type: ignore[operator]

    assert client.get("/staff/logout/").status_code == 405
    response = client.post("/staff/logout/")

    assert response["Location"] == "/"
    assert client.get("/staff/")["Location"].startswith("/staff/login/")


def test_open_redirect_is_refused(hq_analyst: User) -> None:
    client = Client()
    client.post(
        "/staff/login/", {"username": "hq.analyst", "password": PASSWORD, "next": "https://evil.example/"}
    )
    device = SealedTotpDevice.objects.get(user=hq_analyst)

    response = client.post("/staff/login/code/", {"code": _code(device)})

    assert response["Location"] == "/staff/"


@pytest.mark.parametrize("path", ["/staff/audit/", "/staff/system/", "/staff/admin/"])
def test_admin_pages_refuse_non_administrators(hq_analyst: User, staff_client: object, path: str) -> None:
    client = staff_client(hq_analyst)  # type: ignore[operator]

    response = client.get(path, follow=True)

    assert response.status_code == 403


def test_admin_reads_audit_page(hq_admin: User, staff_client: object) -> None:
    from tabyin.core import services
    from tabyin.core.persian_text import digits_to_persian
    from tests.factories import unit

    services.org_unit_update(actor=hq_admin, unit=unit("ir-16"), name_en="Ilam Province")
    client = staff_client(hq_admin)  # type: ignore[operator]

    response = client.get("/staff/audit/")

    assert response.status_code == 200
    html = response.content.decode()
    ilam = unit("ir-16").name_fa
    who = digits_to_persian(hq_admin.display_name)
    assert f'<p class="audit-sentence">«{who}» واحد سازمانی «{ilam}» را تغییر داد</p>' in html
    # English names are marked as English for screen readers (and the Persian-reader crawl).
    assert (
        '<ul class="audit-changes help"><li>نام انگلیسی: از <span lang="en" dir="ltr">Ilam</span> به '
        '<span lang="en" dir="ltr">Ilam Province</span></li></ul>'
    ) in html


def test_totp_window_is_small(hq_analyst: User) -> None:
    client = Client()
    _password_step(client, "hq.analyst")
    device = SealedTotpDevice.objects.get(user=hq_analyst)
    stale = _code(device, offset=-3)  # 90 s old

    response = client.post("/staff/login/code/", {"code": stale})

    assert response.status_code == 200


def test_no_address_or_user_agent_is_stored_for_log_ins(hq_analyst: User) -> None:
    from tests.dbdump import tables_containing

    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="CanaryAgent/1.0")
    for _ in range(3):
        _password_step(client, "hq.analyst", "wrong password")
    _password_step(client, "hq.analyst")
    client.post("/staff/login/code/", {"code": _code(SealedTotpDevice.objects.get(user=hq_analyst))})

    assert client.get("/staff/").status_code == 200
    assert tables_containing("203.0.113.7") == []
    assert tables_containing("CanaryAgent") == []

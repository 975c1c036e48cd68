"""The view helpers of core/http.py: typed staff user, safe "next" address, page language."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from tabyin.core.http import add_service_errors, page_language, safe_next, staff_user
from tabyin.core.models import User

DEFAULT = "/staff/"
# Each of these would take the user off this site (or run script) if it were followed.
HOSTILE = [
    "//evil.example",
    "//evil.example/staff/",
    "https://evil.example",
    "https://evil.example/staff/",
    "http://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://testserver@evil.example/",
    "https:evil.example",
    "ftp://testserver/file",
]


@pytest.fixture
def rf() -> RequestFactory:
    return RequestFactory()


def test_staff_user_is_the_signed_in_user(rf: RequestFactory) -> None:
    request = rf.get("/staff/")
    user = User(username="someone")
    request.user = user

    assert staff_user(request) is user


def test_staff_user_refuses_an_anonymous_visitor(rf: RequestFactory) -> None:
    request = rf.get("/staff/")
    request.user = AnonymousUser()

    with pytest.raises(AssertionError):
        staff_user(request)


@pytest.mark.parametrize("target", HOSTILE)
@pytest.mark.parametrize("secure", [False, True])
def test_safe_next_refuses_other_sites_and_schemes(rf: RequestFactory, target: str, secure: bool) -> None:
    posted = rf.post("/x/", {"next": target}, secure=secure)
    queried = rf.get("/x/", {"next": target}, secure=secure)

    assert safe_next(posted, DEFAULT) == DEFAULT
    assert safe_next(queried, DEFAULT) == DEFAULT


@pytest.mark.parametrize("secure", [False, True])
def test_safe_next_keeps_an_address_on_this_site(rf: RequestFactory, secure: bool) -> None:
    target = "/fa/staff/reports/12/?tab=messages#m3"

    assert safe_next(rf.post("/x/", {"next": target}, secure=secure), DEFAULT) == target
    assert safe_next(rf.get("/x/", {"next": target}, secure=secure), DEFAULT) == target


def test_safe_next_prefers_the_form_field_to_the_query_string(rf: RequestFactory) -> None:
    request = rf.post("/x/?next=/from-query/", {"next": "/from-form/"})

    assert safe_next(request, DEFAULT) == "/from-form/"


def test_safe_next_falls_back_to_the_query_string(rf: RequestFactory) -> None:
    request = rf.post("/x/?next=/from-query/", {"action": "unlock"})

    assert safe_next(request, DEFAULT) == "/from-query/"


@pytest.mark.parametrize("data", [{}, {"next": ""}])
def test_safe_next_without_an_address_gives_the_default(rf: RequestFactory, data: dict[str, str]) -> None:
    assert safe_next(rf.post("/x/", data), "/fa/staff/reports/") == "/fa/staff/reports/"


def test_safe_next_over_https_refuses_plain_http_on_the_same_host(rf: RequestFactory) -> None:
    """The one behaviour change of issue 16.3: the reports key page used to allow this downgrade."""
    plain = "http://testserver/staff/"

    assert safe_next(rf.post("/x/", {"next": plain}, secure=True), DEFAULT) == DEFAULT
    assert safe_next(rf.post("/x/", {"next": plain}, secure=False), DEFAULT) == plain


def test_safe_next_over_https_keeps_https_on_the_same_host(rf: RequestFactory) -> None:
    target = "https://testserver/staff/"

    assert safe_next(rf.post("/x/", {"next": target}, secure=True), DEFAULT) == target


@pytest.mark.parametrize(
    ("active", "expected"), [("fa", "fa"), ("en", "en"), ("en-us", "en"), ("fa-ir", "fa")]
)
def test_page_language_follows_the_active_language(active: str, expected: str) -> None:
    with translation.override(active):
        assert page_language() == expected


@pytest.mark.parametrize("default", ["fa", "en"])
def test_page_language_without_an_active_language_is_the_site_default(settings: Any, default: str) -> None:
    settings.LANGUAGE_CODE = default
    with translation.override(None):
        assert page_language() == default


class _Form(forms.Form):
    title = forms.CharField()
    body = forms.CharField()


def _bound() -> _Form:
    form = _Form({"title": "t", "body": "b"})
    assert form.is_valid()
    return form


def test_add_service_errors_puts_each_message_beside_its_field() -> None:
    form = _bound()
    add_service_errors(
        form,
        ValidationError({"title": ["Too long.", "Already used."], "body": "Empty.", "owner": "Not yours."}),
    )

    assert form.errors == {
        "title": ["Too long.", "Already used."],
        "body": ["Empty."],
        "__all__": ["Not yours."],
    }
    assert "title" not in form.cleaned_data


def test_add_service_errors_without_fields_is_form_wide() -> None:
    form = _bound()
    add_service_errors(form, ValidationError(["First.", ValidationError("Second %(n)s.", params={"n": 2})]))
    add_service_errors(form, ValidationError("Third %(n)s.", params={"n": 3}))

    assert form.errors == {"__all__": ["First.", "Second 2.", "Third 3."]}
    assert form.cleaned_data == {"title": "t", "body": "b"}

"""The one public API (/api/v1/): every app's routes in one document, errors as RFC 9457 problems
in Persian or English, client keys (hashed, rotated with a grace period, revoked), per-client rate
limits and usage, and the command and back office that manage them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from typing import Any, get_args

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from pydantic import BaseModel

from tabyin.core.api import openapi
from tabyin.core.api.problems import Problem, language
from tabyin.core.api.site import public_api
from tabyin.core.apiclients import keys, selectors, services
from tabyin.core.models import ApiClient, ApiKey, ApiUsage, AuditEntry, User
from tabyin.core.registry import Registry
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def _json(response: Any) -> Any:
    return json.loads(response.content)


def test_one_document_holds_every_apps_routes() -> None:
    paths = set(public_api().get_openapi_schema()["paths"])
    assert {
        "/api/v1/",
        "/api/v1/datasets",
        "/api/v1/indicators",
        "/api/v1/scorecards/",
        "/api/v1/scorecards/{period}/",
        "/api/v1/reports/statistics",
        "/api/v1/reception/plain-language/",
    } <= paths


def test_every_error_response_in_the_document_is_a_problem() -> None:
    schema = public_api().get_openapi_schema()
    assert schema["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
        "instance",
    ]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for status, answer in operation["responses"].items():
                if status[0] in "45":
                    assert list(answer["content"]) == ["application/problem+json"], (path, method, status)
            assert {"401", "422", "429", "500"} <= set(operation["responses"]), (path, method)


def test_the_document_adds_problems_without_touching_success() -> None:
    given = {"paths": {"/x": {"get": {"responses": {200: {"description": "OK"}, 404: {"description": ""}}}}}}
    out = openapi.with_problems(given)
    responses = out["paths"]["/x"]["get"]["responses"]
    assert responses["200"] == {"description": "OK"}
    assert responses["404"]["description"] == "Nothing at this address."  # none given: ours
    assert responses["404"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    assert given["paths"]["/x"]["get"]["responses"][404] == {"description": ""}  # a copy


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "fa"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("fa-IR,fa;q=0.9,en;q=0.8", "fa"),
        ("de, en;q=0.5, fa;q=0.7", "fa"),
        ("en;q=0, fa;q=0.1", "fa"),
        ("de", "fa"),
        ("en;q=bad", "fa"),
    ],
)
def test_the_problem_language_follows_accept_language(header: str, expected: str) -> None:
    from django.test import RequestFactory

    assert language(RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=header)) == expected


def test_an_unknown_address_is_a_problem_in_english_when_asked(org: None) -> None:
    response = Client().get("/api/v1/no/such/thing?x=1", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json; charset=utf-8"
    assert response["Content-Language"] == "en"
    assert _json(response) == {
        "type": "/api/v1/docs#problem-not-found",
        "title": "Nothing was found at this address",
        "status": 404,
        "detail": "The API has no address like this one.",
        "instance": "/api/v1/no/such/thing?x=1",
    }


def test_an_unknown_address_is_a_problem_in_persian_by_default(org: None) -> None:
    body = _json(Client().get("/api/v1/no/such/thing"))
    assert (body["title"], body["detail"]) == (
        "چیزی در این نشانی پیدا نشد",
        "رابط برنامه‌نویسی چنین نشانی‌ای ندارد.",
    )


def test_an_open_data_error_keeps_its_error_object_beside_the_problem(org: None) -> None:
    response = Client().get("/api/v1/datasets/nope", HTTP_ACCEPT_LANGUAGE="en")
    body = _json(response)
    assert response.status_code == 404
    assert (body["type"], body["status"], body["instance"]) == (
        "/api/v1/docs#problem-not-found",
        404,
        "/api/v1/datasets/nope",
    )
    assert body["error"]["code"] == "not_found"
    assert body["detail"] == body["error"]["message"]


def test_a_server_error_is_a_logged_problem(org: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("deliberately broken for this test")

    monkeypatch.setattr("tabyin.portal.api.v1.site_url", broken)
    response = Client().get("/api/v1/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert _json(response) == {
        "type": "/api/v1/docs#problem-server-error",
        "title": "Something went wrong on the server",
        "status": 500,
        "detail": "The error was logged; try again later.",
        "instance": "/api/v1/",
    }


def test_the_reference_page_lists_every_app_and_the_problem_types(org: None) -> None:
    page = Client().get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200
    assert "GET /api/v1/scorecards/{period}/" in html
    assert "GET /api/v1/reports/statistics" in html
    assert "POST /api/v1/reception/plain-language/" in html
    assert 'id="problem-too-many-requests"' in html
    assert "swagger" not in html.lower()  # our own page: no Swagger UI, nothing from a CDN
    assert "https://" not in html


def test_a_problem_interpolates_its_values_in_each_language() -> None:
    from django.test import RequestFactory

    from tabyin.core.api.problems import body

    problem = Problem(400, "%(n)s things", values={"n": 3})
    assert body(RequestFactory().get("/api/v1/x"), problem)["detail"] == "3 things"


# --- Client keys ----------------------------------------------------------------------------------


def test_a_key_is_kept_only_as_a_peppered_digest() -> None:
    client, key = services.client_create(actor=None, name="Mobile app", rate="600/m")
    stored = ApiKey.objects.get(client=client)
    assert key.startswith(f"tbk_{stored.prefix}_")
    assert len(key) == 4 + 8 + 1 + 43
    assert key not in stored.digest
    assert stored.digest == keys.digest(key, "test-pepper") or stored.digest != key
    assert selectors.client_for_key(key) == client
    assert selectors.client_for_key(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert selectors.client_for_key("tbk_00000000_" + "a" * 43) is None
    assert selectors.client_for_key("not a key") is None


def test_the_digest_depends_on_the_pepper() -> None:
    made = keys.make()
    assert keys.digest(made.key, "one") != keys.digest(made.key, "two")
    assert keys.matches(made.key, keys.digest(made.key, "one"), "one")
    assert not keys.matches(made.key, keys.digest(made.key, "one"), "two")


def test_rotation_keeps_the_old_key_for_the_grace_period_then_stops_it() -> None:
    client, old = services.client_create(actor=None, name="Mobile app", rate="600/m")
    new = services.client_rotate(actor=None, client=client, grace=timedelta(hours=2))
    assert selectors.client_for_key(old) == client
    assert selectors.client_for_key(new) == client
    with time_machine.travel(timezone.now() + timedelta(hours=2, seconds=1)):
        assert selectors.client_for_key(old) is None
        assert selectors.client_for_key(new) == client


def test_revoking_stops_every_key_at_once() -> None:
    client, old = services.client_create(actor=None, name="Mobile app", rate="600/m")
    new = services.client_rotate(actor=None, client=client)
    services.client_revoke(actor=None, client=client)
    assert selectors.client_for_key(old) is None
    assert selectors.client_for_key(new) is None
    assert ApiKey.objects.filter(client=client, revoked_at=None).count() == 0


def test_create_rotate_and_revoke_are_audited(hq_admin: User) -> None:
    client, key = services.client_create(actor=hq_admin, name="Mobile app", rate="60/m")
    services.client_rotate(actor=hq_admin, client=client, grace=timedelta(hours=1))
    services.client_revoke(actor=hq_admin, client=client)
    entries = list(
        AuditEntry.objects.filter(object_type="core.apiclient", object_id=str(client.pk)).order_by("pk")
    )
    assert [(e.action, e.actor_username) for e in entries] == [
        ("create", hq_admin.username),
        ("update", hq_admin.username),
        ("update", hq_admin.username),
    ]
    assert entries[0].after == {"name": "Mobile app", "rate": "60/m"}
    assert entries[1].before == {"keys": [keys.prefix_of(key)]}
    assert entries[2].after == {"revoked": True}
    assert all(key not in json.dumps([e.before, e.after]) for e in entries)  # never the key itself


def test_reads_need_no_key_and_a_wrong_key_is_a_401(org: None) -> None:
    assert Client().get("/api/v1/reports/statistics").status_code == 200
    response = Client().get(
        "/api/v1/reports/statistics", HTTP_X_API_KEY="tbk_00000000_" + "a" * 43, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert _json(response)["detail"] == (
        "This client key is not valid: it is unknown, revoked or past its grace period."
    )


@pytest.mark.parametrize("how", ["header", "bearer"])
def test_requests_with_a_key_are_counted_per_day(org: None, how: str) -> None:
    client, key = services.client_create(actor=None, name=f"App {how}", rate="600/m")
    headers = {"HTTP_X_API_KEY": key} if how == "header" else {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for _ in range(3):
        assert Client().get("/api/v1/reports/statistics", **headers).status_code == 200
    Client().get("/api/v1/scorecards/", **headers)
    assert list(ApiUsage.objects.filter(client=client).values_list("day", "requests")) == [
        (timezone.localdate(), 4)
    ]
    client.refresh_from_db()
    assert client.last_used_at is not None
    assert selectors.usage(client).today == 4


def test_past_its_rate_a_client_gets_429_with_retry_after(org: None) -> None:
    _client, key = services.client_create(actor=None, name="Slow app", rate="2/m")
    answers = [Client().get("/api/v1/reports/statistics", HTTP_X_API_KEY=key) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert 1 <= int(answers[2]["Retry-After"]) <= 60
    assert _json(answers[2])["type"] == "/api/v1/docs#problem-too-many-requests"
    # Another client has its own budget.
    _other, other_key = services.client_create(actor=None, name="Other app", rate="2/m")
    assert Client().get("/api/v1/reports/statistics", HTTP_X_API_KEY=other_key).status_code == 200


def test_routers_are_added_once_longest_prefix_first() -> None:
    reg = Registry()
    reg.add_api_router("", "a.router", namespace="a")
    reg.add_api_router("scorecards/", "b.router", namespace="b")
    reg.add_api_router("", "a.router", namespace="again")
    assert [(p.prefix, p.router, p.namespace) for p in reg.api_routers] == [
        ("scorecards/", "b.router", "b"),
        ("", "a.router", "a"),
    ]


def test_old_names_still_reverse() -> None:
    from django.urls import reverse

    assert reverse("scorecard-api-v1:period", kwargs={"period": "1404"}) == "/api/v1/scorecards/1404/"
    assert reverse("reports-api-v1:statistics") == "/api/v1/reports/statistics"
    assert reverse("api-v1:datasets") == "/api/v1/datasets"
    assert reverse("api-v1:openapi-json") == "/api/v1/openapi.json"
    assert reverse("scorecard-api-v1:openapi-json") == "/api/v1/scorecards/openapi.json"
    assert reverse("reception-plainlang-api-v1:check") == "/api/v1/reception/plain-language/"


# --- The command and the back office --------------------------------------------------------------


def _command(*args: str) -> str:
    out = StringIO()
    call_command("api_clients", *args, stdout=out)
    return out.getvalue()


def test_the_command_creates_rotates_lists_and_revokes(hq_admin: User) -> None:
    created = _command("create", "Tamin mobile", "--rate", "100/m", "--by", hq_admin.username)
    key = created.splitlines()[1].split(": ", 1)[1]
    assert created.splitlines()[0] == "Client app: Tamin mobile (rate 100/m)"
    assert selectors.client_for_key(key) == ApiClient.objects.get(name="Tamin mobile")
    rotated = _command("rotate", "Tamin mobile", "--grace-hours", "0")
    new = rotated.splitlines()[1].split(": ", 1)[1]
    assert selectors.client_for_key(key) is None  # no grace asked
    assert selectors.client_for_key(new) is not None
    assert _command("list") == "Tamin mobile\tactive\trate 100/m\ttoday 0\tlast used never\n"
    assert _command("revoke", "Tamin mobile") == "Revoked Tamin mobile: every key stopped.\n"
    assert selectors.client_for_key(new) is None
    assert AuditEntry.objects.filter(object_type="core.apiclient").count() == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "X", "--rate", "lots"), "--rate 'lots': write it as <count>/<s|m|h|d>, e.g. 600/m."),
        (("create", ""), "create: name the client app."),
        (("rotate", "Nobody"), "No client app named 'Nobody' that is not revoked."),
        (("create", "X", "--by", "ghost"), "--by 'ghost': no such user."),
    ],
)
def test_the_command_refuses_bad_input_clearly(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError) as refused:
        _command(*args)
    assert str(refused.value) == message


def test_administrators_see_clients_and_their_usage_and_can_revoke(hq_admin: User) -> None:
    client, key = services.client_create(actor=None, name="Tamin mobile", rate="100/m")
    services.record_use(client)
    services.record_use(client)
    browser = verified_client(hq_admin)
    listing = browser.get("/staff/admin/core/apiclient/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Tamin mobile" in html and "100/m" in html
    detail = browser.get(f"/staff/admin/core/apiclient/{client.pk}/change/").content.decode()
    assert ApiKey.objects.get(client=client).prefix in detail
    assert key not in detail
    browser.post(
        "/staff/admin/core/apiclient/",
        {"action": "revoke", "_selected_action": [str(client.pk)]},
    )
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert AuditEntry.objects.filter(object_type="core.apiclient", actor=hq_admin).count() == 1
    assert browser.get("/staff/admin/core/apiclient/add/").status_code == 403


def test_a_deprecated_operation_says_since_when_until_when_and_where() -> None:
    from datetime import UTC, datetime

    from django.http import HttpResponse
    from django.test import RequestFactory

    from tabyin.core.api.responses import deprecated

    since = datetime(2027, 1, 1, tzinfo=UTC)
    view = deprecated(since, datetime(2027, 7, 5, tzinfo=UTC), "/api/v1/docs#op")(lambda r: HttpResponse())
    response = view(RequestFactory().get("/api/v1/x"))
    assert response["Deprecation"] == "@1798761600"
    assert response["Sunset"] == "Mon, 05 Jul 2027 00:00:00 GMT"
    assert response["Link"] == '</api/v1/docs#op>; rel="deprecation"'
    with pytest.raises(ValueError, match="at least 6 months"):
        deprecated(since, datetime(2027, 3, 1, tzinfo=UTC))


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        for info in annotation.model_fields.values():
            yield from _models(info.annotation)
    for argument in get_args(annotation):
        yield from _models(argument)


def test_no_two_apps_models_share_a_component_name() -> None:
    """The document names each component by its class; two apps' classes of one name would be one
    component and one app's answers would be checked against the other's shape."""
    api = public_api()
    api.get_openapi_schema()
    found: dict[str, set[type[BaseModel]]] = {}
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    for each in _models(model):
                        found.setdefault(each.__name__, set()).add(each)
    shared = {
        name: classes for name, classes in found.items() if len(classes) > 1 and name != "NinjaResponseSchema"
    }
    assert shared == {}

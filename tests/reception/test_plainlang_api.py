"""POST /api/v1/reception/plain-language/: staff session with CSRF, JSON in and out, exact body,
Persian errors for bad input, and the operation in the API's OpenAPI document."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from tabyin.core.api.site import public_api
from tabyin.core.models import SealedTotpDevice, User
from tests.conftest import verified_client

URL = "/api/v1/reception/plain-language/"


def post(client: Client, body: object) -> tuple[int, object]:
    response = client.post(URL, json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content)


def test_a_text_comes_back_with_score_sentences_and_findings(hq_analyst: User) -> None:
    status, body = post(verified_client(hq_analyst), {"text": "ثبت‌نام الزامی است. نامه دیروز نوشته شد."})
    assert status == 200
    # Syllables as counted: 2+3+1 and 2+2+2+1 = 13 («نوشته» ne-vesh-te is read as two, see
    # syllables.py); 262.835 - 0.846 * 1300 / 7 - 1.015 * 3.5 = 102.2
    assert body == {
        "characters": 40,
        "readability": {
            "score": 102.2,
            "band": "easy",
            "words": 7,
            "sentences": 2,
            "syllables": 13,
            "words_per_sentence": 3.5,
            "syllables_per_100_words": 185.7,
        },
        "longest_sentences": [
            {"start": 20, "end": 40, "words": 4, "text": "نامه دیروز نوشته شد."},
            {"start": 0, "end": 19, "words": 3, "text": "ثبت‌نام الزامی است."},
        ],
        "findings": [
            {
                "kind": "jargon",
                "start": 8,
                "end": 18,
                "text": "الزامی است",
                "fix": "باید",
                "note": "«ثبت‌نام الزامی است» ← «باید ثبت‌نام کنید»: بگویید چه کسی باید کاری کند.",
            },
            {
                "kind": "passive",
                "start": 31,
                "end": 39,
                "text": "نوشته شد",
                "fix": "[چه کسی] نوشت",
                "note": "",
            },
        ],
    }


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("", "empty", "متنی را که می‌خواهید بررسی شود در کادر بگذارید: کادر خالی است."),
        (
            "Hello world",
            "not_persian",
            "این ابزار متن فارسی را بررسی می‌کند؛ این متن واژهٔ فارسی ندارد یا بیشترش به حروف لاتین است.",
        ),
        (
            "ب" * 60_000,
            "too_long",
            (
                "متن ۶۰٬۰۰۰ نویسه دارد؛ این ابزار حداکثر ۵۰٬۰۰۰ نویسه (حدود ۲۵ صفحه) را بررسی می‌کند. "
                "متن را بخش‌بخش بررسی کنید: متن شما هنوز در کادر است."
            ),
        ),
    ],
)
def test_bad_input_is_a_400_with_a_persian_message(
    hq_analyst: User, text: str, error: str, message: str
) -> None:
    status, body = post(verified_client(hq_analyst), {"text": text})
    # The API's problem (RFC 9457), in Persian by default, with the check's own members beside it.
    assert (status, body) == (
        400,
        {
            "type": "/api/v1/docs#problem-bad-request",
            "title": "درخواست درست نیست",
            "status": 400,
            "detail": message,
            "instance": URL,
            "error": error,
            "message": message,
            "max_characters": 50_000,
        },
    )


def test_a_body_without_text_is_a_422_from_the_schema(hq_analyst: User) -> None:
    status, body = post(verified_client(hq_analyst), {"txt": "سلام"})
    assert status == 422
    assert isinstance(body, dict) and [e["loc"] for e in body["errors"]] == [
        ["body", "payload", "text"],
        ["body", "payload", "txt"],
    ]


@pytest.mark.django_db
def test_no_session_is_a_401() -> None:
    status, body = post(Client(), {"text": "ثبت‌نام الزامی است."})
    assert status == 401
    assert isinstance(body, dict) and (body["type"], body["status"]) == (
        "/api/v1/docs#problem-unauthorized",
        401,
    )


def test_password_without_second_factor_is_a_401(hq_analyst: User) -> None:
    client = Client()
    client.force_login(hq_analyst)
    status, _ = post(client, {"text": "ثبت‌نام الزامی است."})
    assert status == 401


def test_a_request_without_the_csrf_token_is_refused(hq_analyst: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(hq_analyst)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = SealedTotpDevice.objects.get(user=hq_analyst).persistent_id
    session.save()
    status, body = post(client, {"text": "ثبت‌نام الزامی است."})
    assert status == 403
    assert isinstance(body, dict) and (body["type"], body["status"]) == (
        "/api/v1/docs#problem-forbidden",
        403,
    )
    client.get("/staff/reception/plain-language/")  # sets the CSRF cookie, as a page would
    token = client.cookies["csrftoken"].value
    response = client.post(
        URL,
        json.dumps({"text": "ثبت‌نام الزامی است."}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_operation_is_in_the_openapi_document() -> None:
    # The app's old document address now leads to the API's one document.
    moved = Client().get("/api/v1/reception/plain-language/openapi.json")
    assert (moved.status_code, moved["Location"]) == (301, "/api/v1/openapi.json")
    served = Client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    schema = json.loads(served.content)
    assert schema == json.loads(json.dumps(public_api().get_openapi_schema()))
    operation = schema["paths"]["/api/v1/reception/plain-language/"]["post"]
    assert operation["summary"] == "Check a Persian text for plain language"
    assert set(operation["responses"]) == {"200", "400", "401", "403", "422", "429", "500"}  # JSON keys
    assert operation["security"] == [{"StaffSession": []}]
    assert schema["components"]["schemas"]["FindingOut"]["required"] == [
        "kind",
        "start",
        "end",
        "text",
        "fix",
        "note",
    ]

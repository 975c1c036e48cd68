"""/api/v1/reports/: the reporter's flow for the mobile app through the public API, on the same
services as the web form: categories, submit with files (client key needed), the receipt shown
once, follow-up and reply with the code in the body, problems for bad input."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.test import Client

from tabyin.core.apiclients import services as client_services
from tabyin.core.models import User
from tabyin.reports.enums import Author
from tabyin.reports.models import Message, Report, ReportFile
from tests.reports import helpers

pytestmark = [pytest.mark.django_db]
TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def key(tehran_security: User, hq_units_with_keys: dict[str, User]) -> str:
    _client, made = client_services.client_create(actor=None, name="Mobile app", rate="600/m")
    return made


def post(path: str, body: dict[str, Any], key: str | None, **headers: str) -> Any:
    if key is not None:
        headers["HTTP_X_API_KEY"] = key
    return Client().post(
        f"/api/v1/reports/{path}", json.dumps(body), content_type="application/json", **headers
    )


def report_body(**overrides: Any) -> dict[str, Any]:
    return {"category": "bribery", "fields": helpers.form(**overrides)}


def test_the_categories_are_read_without_a_key(org: None) -> None:
    response = Client().get("/api/v1/reports/categories")
    body = json.loads(response.content)
    assert response.status_code == 200
    bribery = next(c for c in body if c["code"] == "bribery")
    assert bribery["name_en"] == "Bribery or an improper demand for money"
    assert [q["key"] for q in bribery["questions"]] == ["paid", "amount", "method"]


def test_a_write_without_a_key_is_a_401_and_stores_nothing(org: None) -> None:
    response = post("", report_body(), key=None, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert json.loads(response.content) == {
        "type": "/api/v1/docs#problem-unauthorized",
        "title": "A valid key or sign-in is needed",
        "status": 401,
        "detail": "Send a registered client's key in X-Api-Key or as Authorization: Bearer <key>.",
        "instance": "/api/v1/reports/",
    }
    assert Report.objects.count() == 0


def test_submit_with_a_file_then_follow_up_and_reply(key: str) -> None:
    body = {
        **report_body(),
        "files": [{"name": "رسید.pdf", "content_base64": base64.b64encode(helpers.PDF).decode()}],
    }
    sent = post("", body, key)
    assert sent.status_code == 201, sent.content.decode()
    assert sent["Cache-Control"] == "no-store"
    receipt = json.loads(sent.content)["receipt"]
    assert len(receipt) == 19 and receipt.replace(" ", "").isdigit()
    report = Report.objects.get()
    assert ReportFile.objects.filter(report=report).count() == 1

    typed = receipt.translate(TO_PERSIAN)  # Persian digits and spaces, as people type them
    case = post("follow-up", {"receipt": typed}, key, HTTP_ACCEPT_LANGUAGE="en")
    assert case.status_code == 200
    assert case["Cache-Control"] == "no-store"
    opened = json.loads(case.content)
    assert (opened["status"], opened["can_write"]) == ("received", True)
    assert opened["category"] == "Bribery or an improper demand for money"
    # The report's own files come as the reporter's first message.
    assert [(m["author"], m["text"]) for m in opened["messages"]] == [("reporter", "")]
    assert [(f["label"], f["size"]) for f in opened["messages"][0]["files"]] == [
        ("رسید.pdf", len(helpers.PDF))
    ]

    png = base64.b64encode(helpers.PNG).decode()
    answer = {"receipt": receipt, "body": "پاسخ من", "files": [{"name": "عکس.png", "content_base64": png}]}
    replied = post("follow-up/reply", answer, key)
    assert (replied.status_code, json.loads(replied.content)) == (201, {"sent": True})
    # Sealed like the web form's: the stored body is not the text.
    message = Message.objects.get()
    assert message.author == Author.REPORTER
    assert "پاسخ من".encode() not in bytes(message.body)
    again = json.loads(post("follow-up", {"receipt": receipt}, key).content)
    assert [m["text"] for m in again["messages"]] == ["", "پاسخ من"]
    assert [f["size"] for f in again["messages"][1]["files"]] == [len(helpers.PNG)]


def test_invalid_fields_are_one_422_listing_each(key: str) -> None:
    response = post("", report_body(what="کوتاه", province="IR-99"), key, HTTP_ACCEPT_LANGUAGE="en")
    body = json.loads(response.content)
    assert response.status_code == 422
    assert body["detail"] == "Nothing was stored: correct the fields listed in errors and send again."
    assert sorted(e["loc"][2] for e in body["errors"]) == ["province", "what"]
    assert Report.objects.count() == 0


def test_an_unknown_category_is_a_422(key: str) -> None:
    response = post("", {"category": "nope", "fields": {}}, key)
    assert response.status_code == 422
    assert [e["loc"] for e in json.loads(response.content)["errors"]] == [["body", "fields", "category"]]


def test_a_wrong_code_is_the_same_404_whatever_it_was(key: str) -> None:
    for typed in ("1234 5678 9012 3456", "nonsense", ""):
        response = post("follow-up", {"receipt": typed}, key, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404
        body = json.loads(response.content)
        assert body["detail"] == "No report opens with this receipt code."
        assert typed not in json.dumps(body) or typed == ""


def test_bad_base64_is_a_422(key: str) -> None:
    body = {**report_body(), "files": [{"name": "a.pdf", "content_base64": "not base64!"}]}
    response = post("", body, key)
    assert response.status_code == 422
    assert json.loads(response.content)["errors"][0]["loc"] == ["body", "files", 0]

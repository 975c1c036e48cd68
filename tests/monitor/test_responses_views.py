"""The pages of answers: the staff queue and a rumor's page driven by POST actions, and the public
clarifications and "is this true?" pages (Persian at /, English at /en/)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client, override_settings
from pytest_django import DjangoAssertNumQueries

from tabyin.core.models import User
from tabyin.monitor.enums import ResponseStatus
from tabyin.monitor.models import Response, Story, Tip
from tests.conftest import verified_client
from tests.monitor.answering import (
    ANSWER_BODY,
    ANSWER_TITLE,
    PUBLISHED,
    T0,
    BotApi,
    approved,
    ingest_rumor,
    publish,
)

pytestmark = pytest.mark.usefixtures("answering")


@pytest.fixture(autouse=True)
def empty_counters(db: Any) -> None:
    caches["shared"].clear()


def text_of(response: Any) -> str:
    return response.content.decode()


# --- staff ---------------------------------------------------------------------------------------


def test_the_workflow_through_the_pages(
    rumor: Story, hq_analyst: User, manager: User, bot_api: BotApi, django_capture_on_commit_callbacks: Any
) -> None:
    analyst, boss = verified_client(hq_analyst), verified_client(manager)
    url = f"/en/staff/monitor/responses/{rumor.pk}/"
    action = f"{url}action/"

    page = analyst.get(url)
    assert page.status_code == 200
    assert 'value="flag"' in text_of(page)
    assert analyst.post(action, {"action": "flag"})["Location"] == f"{url}#workflow"
    analyst.post(action, {"action": "assign", "assign-assignee": str(hq_analyst.pk)})
    bad = analyst.post(action, {"action": "draft", "draft-title": "", "draft-body": ANSWER_BODY})
    assert bad.status_code == 400
    assert "This field is required." in text_of(bad)
    analyst.post(action, {"action": "draft", "draft-title": ANSWER_TITLE, "draft-body": ANSWER_BODY})
    analyst.post(action, {"action": "submit"})
    waiting = analyst.get(url)
    assert (
        '<span class="mr-badge mr-status-in_review" data-testid="status">Awaiting approval</span>'
        in text_of(waiting)
    )
    assert "Waiting for a senior manager's approval." in text_of(waiting)
    assert 'value="approve"' not in text_of(waiting)
    # An analyst posting "approve" anyway gets the 403 page.
    assert analyst.post(action, {"action": "approve"}).status_code == 403

    assert 'value="approve"' in text_of(boss.get(url))
    boss.post(action, {"action": "approve"})
    with time_machine.travel(PUBLISHED, tick=False), django_capture_on_commit_callbacks(execute=True):
        done = boss.post(action, {"action": "publish"}, follow=True)
    assert "The answer is published." in text_of(done)
    answer = Response.objects.get(story=rumor)
    assert answer.status == ResponseStatus.PUBLISHED
    assert f'href="/en/clarifications/{answer.pk}/"' in text_of(done)
    assert 'data-testid="time-to-answer"' in text_of(done)
    # The one clock, both figures labelled (pipeline.clock): from the rumor's first post here.
    assert (
        'from the first post: <strong data-testid="from-first-post">5 hours 30 minutes</strong>'
        in text_of(done)
    )
    assert 'from detection: <strong data-testid="from-detection">' in text_of(done)


def test_a_refused_step_comes_back_as_a_message(rumor: Story, hq_analyst: User) -> None:
    analyst = verified_client(hq_analyst)
    url = f"/en/staff/monitor/responses/{rumor.pk}/"
    page = analyst.post(f"{url}action/", {"action": "submit"}, follow=True)
    assert "There is no answer yet: write a draft first." in text_of(page)


def test_the_queue(rumor: Story, hq_analyst: User, manager: User, tehran_officer: User) -> None:
    approved(rumor, hq_analyst, manager)
    with time_machine.travel(T0 + timedelta(hours=7), tick=False):
        other = ingest_rumor(
            "ادعای دیگری: شعبه‌های تأمین اجتماعی در تهران از شنبه فقط دو روز در هفته باز هستند",
            at=T0 + timedelta(hours=6),
            n=2,
        )
    from tabyin.monitor.responses import services as services_responses

    services_responses.story_flag_rumor(actor=hq_analyst, story=other)
    with time_machine.travel(T0 + timedelta(hours=8), tick=False):
        page = verified_client(hq_analyst).get("/en/staff/monitor/responses/")
    rows = text_of(page)
    assert page.status_code == 200
    assert rows.index(f'data-testid="row-{rumor.pk}"') < rows.index(f'data-testid="row-{other.pk}"')
    assert '<span class="mr-badge mr-status-approved">Approved</span>' in rows
    assert '<span class="mr-badge mr-status-none">Not started</span>' in rows
    assert "8\xa0hours" in rows
    assert verified_client(tehran_officer).get("/en/staff/monitor/responses/").status_code == 403
    assert verified_client(tehran_officer).get(f"/en/staff/monitor/responses/{rumor.pk}/").status_code == 403
    assert Client().get("/staff/monitor/responses/").status_code == 302


# --- public --------------------------------------------------------------------------------------


@pytest.fixture
def published(
    rumor: Story, hq_analyst: User, manager: User, bot_api: BotApi, django_capture_on_commit_callbacks: Any
) -> Response:
    return publish(approved(rumor, hq_analyst, manager), manager, django_capture_on_commit_callbacks)


def test_the_clarifications_in_persian_and_english(published: Response, rumor: Story) -> None:
    fa = text_of(Client().get("/clarifications/"))
    assert f'<a href="/clarifications/{published.pk}/">{ANSWER_TITLE}</a>' in fa
    assert '<time datetime="2026-11-20T15:00:00+03:30">۲۹ آبان ۱۴۰۵</time>' in fa
    assert rumor.title[:100] in fa
    en = text_of(Client().get("/en/clarifications/"))
    assert '<time datetime="2026-11-20T15:00:00+03:30">29 Aban 1405</time>' in en
    assert "Answered on" in en

    one = text_of(Client().get(f"/clarifications/{published.pk}/"))
    assert f'<h1 id="answer-title" data-testid="answer-title">{ANSWER_TITLE}</h1>' in one
    assert f'<p class="mp-claim-text" dir="auto" data-testid="claim">{rumor.title}</p>' in one
    assert "۲۹ آبان ۱۴۰۵، ۱۵:۰۰" in one
    assert ANSWER_BODY in one
    # Staff names never reach the public page.
    assert "hq.analyst" not in one and "hq.manager" not in one


def test_unpublished_answers_are_not_public(rumor: Story, hq_analyst: User, manager: User) -> None:
    draft = approved(rumor, hq_analyst, manager)
    assert Client().get(f"/clarifications/{draft.pk}/").status_code == 404
    assert 'data-testid="no-clarifications"' in text_of(Client().get("/en/clarifications/"))


def test_the_list_takes_the_same_queries_for_one_or_many(
    published: Response, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = Client()
    client.get("/clarifications/")  # warm the session and translation caches
    with django_assert_num_queries(2):  # count, then the page of rows with their stories
        client.get("/clarifications/")
    for n in range(5):
        Response.objects.create(
            story=Story.objects.create(
                key=900 + n,
                signature=b"",
                title=f"ادعا {n}",
                first_published_at=T0,
                first_seen_at=T0,
                last_post_at=T0,
            ),
            status=ResponseStatus.PUBLISHED,
            title=f"پاسخ {n}",
            body="متن",
            published_at=PUBLISHED,
        )
    with django_assert_num_queries(2):
        page = client.get("/clarifications/")
    assert text_of(page).count('class="mp-item"') == 6


def test_the_tipline_form(db: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    form = client.get("/en/clarifications/ask/")
    body = text_of(form)
    assert 'name="csrfmiddlewaretoken"' in body
    assert "We erase the address as soon as that e-mail is sent" in body
    # No script of its own: only the shell's optional pwa.js (offline reading and drafts).
    assert "<script" not in body.replace('<script src="/static/tabyin/js/pwa.js"', "", 1)
    token = form.cookies["csrftoken"].value

    empty = client.post(
        "/en/clarifications/ask/", {"csrfmiddlewaretoken": token, "text": " ", "contact": "nope"}
    )
    assert empty.status_code == 400
    errors = text_of(empty)
    assert (
        '<a href="#id_text">What did you read or hear? — Write or paste the item you want to ask about.</a>'
        in errors
    )
    assert (
        '<a href="#id_contact">Your e-mail address (optional) — Enter an e-mail address such as '
        "name@example.com, or leave it empty.</a>"
    ) in errors
    assert Tip.objects.count() == 0

    sent = client.post(
        "/en/clarifications/ask/",
        {
            "csrfmiddlewaretoken": token,
            "text": "آیا این خبر درست است؟ وام ازدواج بیمه‌شدگان قطع شد",
            "link": "",
            "contact": "",
        },
    )
    assert sent["Location"] == "/en/clarifications/ask/thanks/"
    assert Tip.objects.get().text == "آیا این خبر درست است؟ وام ازدواج بیمه‌شدگان قطع شد"
    assert "Thank you: we have received it" in text_of(client.get(sent["Location"]))


def test_the_tipline_without_a_csrf_token_is_refused(db: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/clarifications/ask/", {"text": "x"}).status_code == 403


@override_settings(TABYIN_MONITOR_TIPS_PER_HOUR=1)
def test_the_tipline_limit(db: Any) -> None:
    client = Client()
    assert client.post("/en/clarifications/ask/", {"text": "یک"}).status_code == 302
    again = client.post("/en/clarifications/ask/", {"text": "دو"})
    assert again.status_code == 429
    assert "You have sent many items in the last hour. Please try again later." in text_of(again)
    assert Tip.objects.count() == 1


@override_settings(TABYIN_MONITOR_TIPS_PER_HOUR=5, TABYIN_MONITOR_TIPS_SITE_PER_HOUR=3)
def test_a_client_that_drops_its_session_cookie_meets_the_site_wide_limit(db: Any) -> None:
    from django.core.cache import caches

    caches["shared"].clear()
    # A new client each time: no cookie comes back, so each post is a new session.
    codes = [Client().post("/en/clarifications/ask/", {"text": f"خبر {n}"}).status_code for n in range(4)]
    assert codes == [302, 302, 302, 429]
    refused = Client().post("/en/clarifications/ask/", {"text": "خبر ۵"})
    assert refused.status_code == 429
    assert "The tipline has received very many items in the last hour. Please try again later." in text_of(
        refused
    )
    assert Tip.objects.count() == 3


def test_the_queue_takes_the_same_queries_for_one_or_many(
    rumor: Story, hq_analyst: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    from tabyin.monitor.responses import selectors as selectors_responses
    from tabyin.monitor.responses import services as services_responses

    services_responses.story_flag_rumor(actor=hq_analyst, story=rumor)
    services_responses.story_assign(actor=hq_analyst, story=rumor, assignee=hq_analyst)
    hq_analyst = User.objects.get(pk=hq_analyst.pk)
    with django_assert_num_queries(2):  # the actor's scope, then the stories with answers and assignees
        assert len(selectors_responses.responses_queue(hq_analyst)) == 1
    for n in range(2, 6):
        with time_machine.travel(T0 + timedelta(hours=n), tick=False):
            other = ingest_rumor(f"ادعای شمارهٔ {n}: شعبهٔ شمارهٔ {n} تأمین اجتماعی در شهر {n} بسته شد", n=n)
        services_responses.story_flag_rumor(actor=hq_analyst, story=other)
        services_responses.response_save_draft(actor=hq_analyst, story=other, title=f"پاسخ {n}", body="متن")
    hq_analyst = User.objects.get(pk=hq_analyst.pk)  # a fresh object: the scope is cached on it
    with django_assert_num_queries(2):
        rows = selectors_responses.responses_queue(hq_analyst)
    assert rows[0].story.pk == rumor.pk
    assert len(rows) == 5

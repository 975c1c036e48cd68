"""The pieces an answer's fast path reuses instead of the ORM's compiler and a new form each time
(ADR 0042): each gives exactly what the code it replaces gives."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from django.http import QueryDict
from django.utils import translation

from tabyin.core.models import User
from tabyin.reception.polls import inserts, selectors, services
from tabyin.reception.polls.enums import PollState
from tabyin.reception.polls.forms import AnswerForm, valid_answers
from tabyin.reception.polls.models import Answer, Poll, Response
from tests.reception.polls_helpers import make_poll

pytestmark = pytest.mark.django_db


def _fields(poll: Poll) -> dict[str, Any]:
    return {f.attname: getattr(poll, f.attname) for f in Poll._meta.concrete_fields}


def test_the_poll_row_is_the_orms(hq_analyst: User) -> None:
    polls = [make_poll(hq_analyst, state=s) for s in (PollState.OPEN, PollState.CLOSED, PollState.DRAFT)]
    for poll in polls:
        orm = Poll.objects.filter(pk=poll.pk).exclude(state=PollState.DRAFT).first()
        mine = selectors.public_poll(poll_id=poll.pk)
        if orm is None:
            assert (poll.state, mine) == (PollState.DRAFT, None)
            continue
        assert mine is not None
        assert _fields(mine) == _fields(orm)
        assert (mine._state.adding, mine._state.db) == (False, "default")
        assert [q.order for q in mine.questions.all()] == [1, 2, 3]
    assert selectors.public_poll(poll_id=987654) is None


@pytest.mark.parametrize(
    "data",
    [
        {"q1": "0", "q2": "4", "q3": "روشن بود", "province": "IR-23"},
        {"q1": "2", "q2": "1", "q3": "  فاصله دارد  ", "province": ""},
        {"q1": "0", "q2": "5"},
        {"q1": "3", "q2": "4"},
        {"q1": "۰", "q2": "4"},
        {"q1": " 0", "q2": "4"},
        {"q1": "0", "q2": "0"},
        {"q1": "0", "q2": "6"},
        {"q1": "0", "q2": ""},
        {"q1": "0", "q2": "4", "province": "ir-23"},
        {"q1": "0", "q2": "4", "province": "XX-00"},
        {"q1": "0", "q2": "4", "q3": "a\x00"},
        {"q2": "4", "q3": "x" * 5000},
        {},
    ],
)
def test_valid_answers_are_the_forms(hq_analyst: User, data: dict[str, str]) -> None:
    poll = selectors.public_poll(poll_id=make_poll(hq_analyst).pk)
    assert poll is not None
    query = QueryDict(mutable=True)
    query.update(data)
    for language in ("fa", "en"):
        with translation.override(language):
            form = AnswerForm(query, poll=poll)
            expected = form.cleaned_data if form.is_valid() else None
            assert valid_answers(query, poll) == expected
            assert valid_answers(query, poll) == expected  # the kept fields, a second time


def test_a_repeated_field_counts_its_last_value_as_the_form_does(hq_analyst: User) -> None:
    poll = selectors.public_poll(poll_id=make_poll(hq_analyst).pk)
    assert poll is not None
    query = QueryDict("q1=9&q1=1&q2=4&province=")
    form = AnswerForm(query, poll=poll)
    assert form.is_valid()
    assert valid_answers(query, poll) == form.cleaned_data == {"q1": "1", "q2": "4", "q3": "", "province": ""}


def test_the_inserts_store_what_the_orm_stores(hq_analyst: User, monkeypatch: pytest.MonkeyPatch) -> None:
    poll = selectors.public_poll(poll_id=make_poll(hq_analyst).pk)
    assert poll is not None and inserts.supported(Response)
    answers = {"q1": "1", "q2": "3", "q3": "متن"}
    quick = services.response_submit(
        poll=poll, token=secrets.token_urlsafe(24), answers=answers, province_iso="IR-23"
    )
    monkeypatch.setattr(inserts, "supported", lambda model: False)
    orm = services.response_submit(
        poll=poll, token=secrets.token_urlsafe(24), answers=answers, province_iso="IR-23"
    )
    rows = {
        r.pk: (r.poll_id, r.province_id, r.day, r.created_at.tzinfo is not None)
        for r in Response.objects.filter(pk__in=[quick.pk, orm.pk])
    }
    assert rows[quick.pk] == rows[orm.pk]
    assert rows[quick.pk][2] == orm.day
    assert quick.created_at == Response.objects.get(pk=quick.pk).created_at
    kept = [
        list(
            Answer.objects.filter(response=r)
            .order_by("question__order")
            .values_list("question__order", "choice", "clarity", "text")
        )
        for r in (quick, orm)
    ]
    assert kept[0] == kept[1] == [(1, 1, None, ""), (2, None, 3, ""), (3, None, None, "متن")]
    assert (quick._state.adding, quick._state.db) == (False, "default")


def test_a_second_answer_with_the_same_token_is_refused_by_the_constraint(hq_analyst: User) -> None:
    poll = selectors.public_poll(poll_id=make_poll(hq_analyst).pk)
    assert poll is not None
    first = services.response_submit(poll=poll, token="t" * 32, answers={"q1": "0", "q2": "4"})
    with pytest.raises(services.AlreadyAnsweredError) as refused:
        services.response_submit(poll=poll, token="t" * 32, answers={"q1": "1", "q2": "1"})
    assert refused.value.kept.pk == first.pk
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 2

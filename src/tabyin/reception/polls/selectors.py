"""Reads of comprehension polls, scoped: HQ viewers see every answer, a provincial PR officer only
the answers declared in their province (answers with no province are national data)."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from django.db import connections, router
from django.db.models import Count, QuerySet

from tabyin.core import selectors as core_selectors
from tabyin.core.models import User
from tabyin.core.registry import registry
from tabyin.core.scoping import Scope, restrict, scope_for
from tabyin.reception.polls import cache, permissions, themes
from tabyin.reception.polls.enums import CLEAR_FROM, PollState, QuestionKind
from tabyin.reception.polls.models import Answer, Poll, Question, Response
from tabyin.reception.polls.stats import Interval, wilson

# How far back the transparency site's "was this clear?" answers are reported, in days.
CLARITY_DAYS: Final = 90


def polls_for(*, user: User) -> QuerySet[Poll]:
    scope = scope_for(user)
    permissions.require(permissions.can_see_results(scope))
    return Poll.objects.annotate(answers=Count("responses")).order_by("-created_at", "-pk")


def public_poll(*, poll_id: int) -> Poll | None:
    """A poll the public may see: open or closed (a closed one says so), never a draft. One query:
    the poll row, read each time for its state; ``poll.questions.all()`` is served from ``cache``."""
    poll = _public_poll_row(poll_id)
    if poll is not None:
        # What prefetch_related("questions") leaves behind, filled from memory instead of a query.
        questions = poll.questions.all()
        questions._result_cache = list(cache.questions(poll))
        questions._prefetch_done = True  # type: ignore[attr-defined]
        poll._prefetched_objects_cache = {"questions": questions}  # type: ignore[attr-defined]
    return poll


@functools.cache
def _poll_sql(alias: str) -> tuple[str, list[str], list[tuple[list[Any], Any]]]:
    """``SELECT`` of a poll's columns by id unless it is a draft, written once from the model's
    metadata, with each column's converters as the ORM's compiler applies them: compiling the
    query cost more than the database's answer (ADR 0042)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = Poll._meta
    fields = meta.concrete_fields
    columns = ", ".join(quote(str(f.column)) for f in fields)
    where = f"{quote(str(meta.pk.column))} = %s AND {quote(str(meta.get_field('state').column))} <> %s"
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {where}"  # noqa: S608 (model names; values are parameters)
    columns_of = [f.get_col(meta.db_table) for f in fields]
    converters = [
        (connection.ops.get_db_converters(col) + f.get_db_converters(connection), col)
        for f, col in zip(fields, columns_of, strict=True)
    ]
    return sql, [f.attname for f in fields], converters


def _public_poll_row(poll_id: int) -> Poll | None:
    """``Poll.objects.filter(pk=poll_id).exclude(state=DRAFT).first()`` (the state is never null)."""
    alias = router.db_for_read(Poll)
    connection = connections[alias]
    sql, names, converters = _poll_sql(alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [poll_id, PollState.DRAFT.value])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for raw, (functions, column) in zip(row, converters, strict=True):
        value = raw
        for function in functions:
            value = function(value, column, connection)
        values.append(value)
    return Poll.from_db(alias, names, values)


def response_for_token(*, poll: Poll, token: str) -> Response | None:
    return Response.objects.filter(poll=poll, token=token).first()


@dataclass
class Cell:
    """One group's figures for one question: ``n`` answers, and for a choice question the share
    correct, for a clarity question the mean and the share rating it clear (4 or 5)."""

    n: int = 0
    hits: int = 0  # correct answers, or ratings of CLEAR_FROM and more
    total: int = 0  # sum of ratings (clarity)
    choice_counts: list[int] = field(default_factory=list)

    @property
    def interval(self) -> Interval | None:
        return wilson(self.hits, self.n)

    @property
    def percents(self) -> tuple[float, float, float] | None:
        """Share, low and high in percent, for display."""
        found = self.interval
        return None if found is None else (100 * found.share, 100 * found.low, 100 * found.high)

    @property
    def misses(self) -> int:
        return self.n - self.hits

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None


@dataclass
class QuestionResult:
    question: Question
    overall: Cell
    by_province: list[tuple[str, Cell]]  # (province name, cell), answers without a province last
    by_day: list[tuple[date, Cell]]
    themes: list[themes.Theme] = field(default_factory=list)
    no_theme: int = 0
    open_texts: int = 0

    @property
    def choice_rows(self) -> list[tuple[str, int, bool]]:
        """Each option of a choice question: its text, how many chose it, whether it is correct."""
        q = self.question
        return [(text, self.overall.choice_counts[i], i == q.correct) for i, text in enumerate(q.choices)]


@dataclass
class PollResults:
    poll: Poll
    responses: int
    questions: list[QuestionResult]
    national: bool


def _responses(poll: Poll, scope: Scope) -> QuerySet[Response]:
    return restrict(Response.objects.filter(poll=poll), scope)


def poll_results(*, user: User, poll: Poll, no_province: str) -> PollResults:
    """Counts and intervals per question, overall, by province and by day (two queries).
    ``no_province`` is the label of answers whose author named no province."""
    scope = scope_for(user)
    permissions.require(permissions.can_see_results(scope))
    questions = list(poll.questions.all())
    rows = Answer.objects.filter(response__in=_responses(poll, scope)).values_list(
        "question_id", "choice", "clarity", "text", "response__province__name_fa", "response__day"
    )
    overall: dict[int, Cell] = {}
    by_province: dict[int, dict[str, Cell]] = defaultdict(dict)
    by_day: dict[int, dict[date, Cell]] = defaultdict(dict)
    texts: dict[int, list[str]] = defaultdict(list)
    by_id = {q.pk: q for q in questions}
    for question_id, choice, clarity, text, province, day in rows.order_by("response__created_at", "pk"):
        question = by_id[question_id]
        found = [overall.setdefault(question_id, Cell(choice_counts=[0] * len(question.choices)))]
        if question.kind == QuestionKind.OPEN:
            texts[question_id].append(text)
        else:
            name = province or no_province
            found.append(
                by_province[question_id].setdefault(name, Cell(choice_counts=[0] * len(question.choices)))
            )
            found.append(by_day[question_id].setdefault(day, Cell(choice_counts=[0] * len(question.choices))))
        for cell in found:
            cell.n += 1
            if choice is not None:
                cell.choice_counts[choice] += 1
                cell.hits += choice == question.correct
            elif clarity is not None:
                cell.total += clarity
                cell.hits += clarity >= CLEAR_FROM
    results = []
    for question in questions:
        provinces = sorted(
            by_province[question.pk].items(), key=lambda item: (item[0] == no_province, -item[1].n, item[0])
        )
        result = QuestionResult(
            question=question,
            overall=overall.get(question.pk, Cell(choice_counts=[0] * len(question.choices))),
            by_province=provinces,
            by_day=sorted(by_day[question.pk].items()),
        )
        if question.kind == QuestionKind.OPEN:
            result.open_texts = len(texts[question.pk])
            result.themes, result.no_theme = themes.group(texts[question.pk])
        results.append(result)
    count = _responses(poll, scope).count()
    return PollResults(poll=poll, responses=count, questions=results, national=scope.national)


@dataclass
class ClarityPage:
    """One public page's "was this clear?" answers: ``hits`` of a cell are the "yes" answers."""

    title: str
    url: str
    province: str  # "" for a national page
    overall: Cell
    by_day: list[tuple[date, Cell]]


def site_clarity(*, user: User, today: date) -> list[ClarityPage]:
    """The transparency site's answers of the last ``CLARITY_DAYS`` days up to ``today``, per page,
    most answered first. Scoped like the polls: a provincial officer sees only their province's pages."""
    scope = scope_for(user)
    permissions.require(permissions.can_see_results(scope))
    start = today - timedelta(days=CLARITY_DAYS - 1)
    rows = [
        r
        for r in registry.clarity_between(start, today + timedelta(days=1))
        if scope.covers_province(r.province_id)
    ]
    ids = {r.province_id for r in rows if r.province_id is not None}
    names = dict(core_selectors.provinces().filter(pk__in=ids).values_list("pk", "name_fa"))
    pages: dict[str, ClarityPage] = {}
    for row in rows:
        page = pages.get(row.key)
        if page is None:
            province = names.get(row.province_id, "") if row.province_id is not None else ""
            page = pages[row.key] = ClarityPage(row.title, row.url, province, Cell(), [])
        n = row.clear + row.unclear
        page.by_day.append((row.day, Cell(n=n, hits=row.clear)))
        page.overall.n += n
        page.overall.hits += row.clear
    return sorted(pages.values(), key=lambda page: (-page.overall.n, page.title))

"""Reads of key messages: the announcements a person may see, and each one's report (pull-through,
fidelity, reach, misreading clusters, the linked poll, the questions people asked).

Figures are computed from the coverage the monitor gives through core's registry, at read time.
A provincial officer's report counts only the posts of their province's sources, the meeting
questions of their province and the tipline questions that concern it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.core.cache import caches
from django.db.models import Q, QuerySet
from django.utils import timezone

from tabyin.core.jalali import TEHRAN
from tabyin.core.models import User
from tabyin.core.registry import CoveragePost, CoverageQuery, TipQuery, TipQuestion, registry
from tabyin.core.scoping import Scope, scope_for
from tabyin.reception.meetings.models import MeetingQuestion
from tabyin.reception.messages import permissions
from tabyin.reception.messages.clusters import Cluster, Misreading, clusters
from tabyin.reception.messages.facts import Fact, prepare
from tabyin.reception.messages.fidelity import Change, KeyMessageFacts, Verdict, content_words, judge
from tabyin.reception.messages.models import Announcement, ClusterAnswer, KeyMessage
from tabyin.reception.polls import selectors as polls_selectors
from tabyin.reception.polls.selectors import Cell, PollResults

ORGANIZATION = content_words("سازمان تأمین اجتماعی")
# Questions around an announcement: a month before (what it was meant to answer) to two after.
QUESTIONS_BEFORE = timedelta(days=30)
QUESTIONS_AFTER = timedelta(days=60)


def announcements_for(*, user: User) -> QuerySet[Announcement]:
    scope = scope_for(user)
    permissions.require(permissions.can_see(scope))
    found = Announcement.objects.select_related("province", "poll").prefetch_related("messages")
    if scope.national:
        return found
    return found.filter(Q(province__isnull=True) | Q(province_id__in=scope.province_ids))


def stored_facts(message: KeyMessage) -> list[Fact]:
    return [Fact(f["kind"], f["value"], f["text"]) for f in message.facts]


@dataclass(frozen=True)
class Point:
    day: date
    pull_through: float | None  # carried / coverage so far, 0..1
    fidelity: float | None  # carried without distortion / carried so far, 0..1


@dataclass(frozen=True)
class Distortion:
    post: CoveragePost
    change: Change


@dataclass
class ClusterRow:
    cluster: Cluster
    answer: ClusterAnswer | None


@dataclass
class MessageReport:
    message: KeyMessage
    facts: list[Fact]
    carried: int = 0
    faithful: int = 0
    partial: int = 0
    distorted: int = 0
    reach: int = 0  # views of the posts that carry it
    distorted_reach: int = 0
    coverage: int = 0
    series: list[Point] = field(default_factory=list)
    distortions: list[Distortion] = field(default_factory=list)
    clusters: list[ClusterRow] = field(default_factory=list)

    @property
    def pull_through(self) -> float | None:
        return self.carried / self.coverage if self.coverage else None

    @property
    def fidelity(self) -> float | None:
        return (self.carried - self.distorted) / self.carried if self.carried else None


@dataclass
class Report:
    announcement: Announcement
    start: datetime
    end: datetime
    posts: int
    reach: int
    messages: list[MessageReport]
    national: bool
    poll: PollResults | None = None
    questions: list[MeetingQuestion] = field(default_factory=list)
    tips: list[TipQuestion] = field(default_factory=list)
    # The "was this clear?" answers given on the announcement's own page since it was published.
    clarity: Cell | None = None

    @property
    def tips_answered(self) -> int:
        return sum(t.state == "answered" for t in self.tips)

    @property
    def tips_waiting(self) -> int:
        """Not answered and not closed: nobody has answered yet, or an answer is under way."""
        return sum(t.state in ("pending", "answering") for t in self.tips)


def _day(moment: datetime) -> date:
    """The Tehran day of a moment (a post at 22:00 UTC belongs to the next Iranian day)."""
    return moment.astimezone(TEHRAN).date()


def coverage_of(announcement: Announcement, scope: Scope) -> list[CoveragePost]:
    start = announcement.published_at
    return registry.coverage_for(
        CoverageQuery(
            start=start,
            end=start + timedelta(days=announcement.window_days),
            story_key=announcement.story_key,
            terms=announcement.term_list(),
            province_ids=None if scope.national else frozenset(scope.province_ids),
        )
    )


def _series(days: list[date], verdicts: list[tuple[date, Verdict]], coverage_days: list[date]) -> list[Point]:
    seen: dict[date, int] = defaultdict(int)
    for day in coverage_days:
        seen[day] += 1
    carried: dict[date, int] = defaultdict(int)
    bad: dict[date, int] = defaultdict(int)
    for day, verdict in verdicts:
        carried[day] += 1
        bad[day] += verdict.distorted
    points: list[Point] = []
    total = hits = wrong = 0
    for day in days:
        total, hits, wrong = total + seen[day], hits + carried[day], wrong + bad[day]
        points.append(Point(day, hits / total if total else None, (hits - wrong) / hits if hits else None))
    return points


def _measure(
    message: KeyMessage, posts: list[CoveragePost], days: list[date], everywhere: frozenset[str]
) -> MessageReport:
    facts = stored_facts(message)
    report = MessageReport(message=message, facts=facts, coverage=len(posts))
    checked = KeyMessageFacts(prepare(message.text), tuple(facts), content_words(message.text)).without(
        everywhere
    )
    verdicts: list[tuple[date, Verdict]] = []
    misreadings: list[Misreading] = []
    for post in posts:
        verdict = judge(checked, post.text)
        if not verdict.carried:
            continue
        day = _day(post.published_at)
        verdicts.append((day, verdict))
        report.carried += 1
        report.reach += post.reach or 0
        if verdict.outcome == "faithful":
            report.faithful += 1
        elif verdict.outcome == "partial":
            report.partial += 1
        else:
            report.distorted += 1
            report.distorted_reach += post.reach or 0
            report.distortions.append(Distortion(post, verdict.changes[0]))
            misreadings.append(
                Misreading(message.pk, post.key, post.text, post.reach, post.story_key, verdict.changes[0])
            )
    report.series = _series(days, verdicts, [_day(p.published_at) for p in posts])
    report.clusters = [ClusterRow(c, None) for c in clusters(misreadings)]
    return report


# The figures' own format: bump it when ``MessageReport`` or the rules change, so no process reads
# figures cached by the old code.
FIGURES_FORMAT = "reception-figures-1"
FIGURES_SECONDS = 24 * 3600


def figures_version(
    messages: list[KeyMessage], posts: list[CoveragePost], days: list[date], everywhere: frozenset[str]
) -> str:
    """The data version of an announcement's figures: a digest of everything they are computed
    from (each key message's text and facts, each post of the coverage as the monitor gives it —
    key, time, reach, story, text — and the days and left-out words). A post edited, re-counted or
    moved to another story, a post added or gone, or a message edited gives another version; the
    same data gives the same version in every process. See ADR 0038."""
    digest = hashlib.sha256(FIGURES_FORMAT.encode())
    parts: list[object] = [days[0].isoformat() if days else "", len(days), sorted(everywhere)]
    parts += [(m.pk, m.text, m.facts) for m in messages]
    digest.update(json.dumps(parts, ensure_ascii=False).encode())
    for post in posts:
        head = f"\x00{post.key}\x01{post.published_at.isoformat()}\x01{post.reach}\x01{post.story_key}\x01"
        digest.update(head.encode())
        digest.update(post.text.encode())
    return digest.hexdigest()


def _measured(
    messages: list[KeyMessage], posts: list[CoveragePost], days: list[date], everywhere: frozenset[str]
) -> list[MessageReport]:
    """The figures of each key message, from the cache when its data version was measured before
    (by any process, in scaled mode), else measured now and kept. What staff did about a cluster
    (``ClusterRow.answer``) is read afresh every time: it is not part of the figures."""
    key = f"reception:figures:{figures_version(messages, posts, days, everywhere)}"
    store = caches["default"]
    found: list[MessageReport] | None = store.get(key)
    if found is None or len(found) != len(messages):
        found = [_measure(m, posts, days, everywhere) for m in messages]
        store.set(key, found, FIGURES_SECONDS)
    for item, message in zip(found, messages, strict=True):
        item.message = message
        answers = {a.signature: a for a in message.answers.all()}
        item.clusters = [ClusterRow(row.cluster, answers.get(row.cluster.signature)) for row in item.clusters]
    return found


class _Topic:
    """What makes a question about an announcement: it names one of its terms, or carries one of
    its key messages (at least half of the message's content words, the containment of
    pull-through)."""

    def __init__(self, announcement: Announcement, messages: list[KeyMessage]) -> None:
        self.terms = [prepare(t) for t in announcement.term_list()]
        self.keys = [content_words(m.text) for m in messages]

    def about(self, text: str) -> bool:
        prepared = prepare(text)
        words = content_words(text)
        return any(t in prepared for t in self.terms) or any(
            k and len(k & words) / len(k) >= 0.5 for k in self.keys
        )


def _questions(announcement: Announcement, scope: Scope, topic: _Topic) -> list[MeetingQuestion]:
    """Questions for public meetings held around the announcement (from a month before: what it
    was meant to answer) that are about it (``_Topic``)."""
    start = announcement.published_at
    found = MeetingQuestion.objects.filter(
        hidden=False,
        meeting__starts_at__gte=start - QUESTIONS_BEFORE,
        meeting__starts_at__lt=start + QUESTIONS_AFTER,
    ).select_related("meeting", "meeting__province")
    if announcement.province_id is not None:
        found = found.filter(meeting__province_id=announcement.province_id)
    if not scope.national:
        found = found.filter(meeting__province_id__in=scope.province_ids)
    return [q for q in found.order_by("-votes", "pk")[:500] if topic.about(q.text)]


def _tips(announcement: Announcement, scope: Scope, topic: _Topic) -> list[TipQuestion]:
    """Tipline questions sent around the announcement that joined its story or are about it.

    The monitor gives a provincial officer only the tips that concern their province (its rule:
    a province's query matched the text); checked again here, so a provider that ignored the
    query's provinces still leaks nothing. A tip that names no province is national data, as a
    poll answer without a province is. A provincial announcement keeps the tips that concern its
    province or none."""
    start = announcement.published_at
    provinces = None if scope.national else frozenset(scope.province_ids)
    found = registry.tips_for(
        TipQuery(start=start - QUESTIONS_BEFORE, end=start + QUESTIONS_AFTER, province_ids=provinces)
    )
    kept = []
    for tip in found:
        if provinces is not None and not tip.province_ids & provinces:
            continue
        local = announcement.province_id
        if local is not None and tip.province_ids and local not in tip.province_ids:
            continue
        same_story = announcement.story_key is not None and tip.story_key == announcement.story_key
        if same_story or topic.about(tip.text):
            kept.append(tip)
    return kept


def _clarity(announcement: Announcement, scope: Scope) -> Cell | None:
    """The transparency site's "was this clear?" answers on the announcement's address (its path,
    as the portal gives it), from its publication day to today, scoped like the polls (a page about
    another province is not counted for a provincial officer). ``None`` without answers."""
    path = urlsplit(announcement.url).path if announcement.url else ""
    if not path:
        return None
    start = _day(announcement.published_at)
    end = timezone.localdate() + timedelta(days=1)
    rows = [
        r
        for r in registry.clarity_between(start, end)
        if r.url == path and scope.covers_province(r.province_id)
    ]
    if not rows:
        return None
    return Cell(n=sum(r.clear + r.unclear for r in rows), hits=sum(r.clear for r in rows))


def report(*, user: User, announcement: Announcement) -> Report:
    scope = scope_for(user)
    permissions.require(permissions.can_see(scope))
    posts = coverage_of(announcement, scope)
    first = _day(announcement.published_at)
    days = [first + timedelta(days=i) for i in range(announcement.window_days)]
    messages = list(announcement.messages.prefetch_related("answers"))
    # Words every post of the coverage has by construction: they tell nothing about carrying.
    everywhere = ORGANIZATION | frozenset().union(*(content_words(t) for t in announcement.term_list()))
    result = Report(
        announcement=announcement,
        start=announcement.published_at,
        end=announcement.published_at + timedelta(days=announcement.window_days),
        posts=len(posts),
        reach=sum(p.reach or 0 for p in posts),
        messages=_measured(messages, posts, days, everywhere),
        national=scope.national,
    )
    if announcement.poll is not None:
        result.poll = polls_selectors.poll_results(user=user, poll=announcement.poll, no_province="")
    topic = _Topic(announcement, messages)
    result.questions = _questions(announcement, scope, topic)
    result.tips = _tips(announcement, scope, topic)
    result.clarity = _clarity(announcement, scope)
    return result

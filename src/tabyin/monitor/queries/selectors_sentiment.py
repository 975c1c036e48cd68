"""Active learning: the posts the sentiment model is least sure of, for analysts to label.

Each label an analyst gives is a ``Correction`` (``ingest.services_classifier.correction_record``), and the
next retraining (the "Retrain" button of the page, or ``monitor_train --corrections``) learns from
it. Asking about the posts the model is least sure of teaches it most per click.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.monitor import permissions
from tabyin.monitor.ingest.selectors import classifier_current
from tabyin.monitor.models import ClassifierModel, Correction, Post

# How many recent, unlabelled posts are scored to choose from (each costs one prediction).
POOL = 500


@dataclass(frozen=True)
class Uncertain:
    post: Post
    label: str
    score: float
    margin: float


@dataclass(frozen=True)
class ReviewPage:
    rows: list[Uncertain]
    corrections: int
    corrections_since_training: int
    model_note: str
    model_trained_at: datetime | None
    is_trained: bool


def uncertain_posts(
    *, actor: User, limit: int = 20, pool: int = POOL, margin: Callable[[str], float] | None = None
) -> list[Uncertain]:
    """The ``limit`` least certain of the ``pool`` newest posts nobody has labelled: smallest margin
    first, then newest first, then highest id (a stable order)."""
    permissions.require(permissions.can_triage(scope_for(actor)), "only analysts label sentiment")
    classifier = classifier_current()
    margin = margin or classifier.margin
    posts = list(
        Post.objects.filter(correction__isnull=True)
        .select_related("source", "story")
        .order_by("-published_at", "-id")[:pool]
    )
    rows = []
    for post in posts:
        label, score = classifier.predict(post.text)
        rows.append(Uncertain(post, label, score, margin(post.text)))
    rows.sort(key=lambda row: (row.margin, -row.post.published_at.timestamp(), -row.post.pk))
    return rows[:limit]


def review_page(*, actor: User, limit: int = 20) -> ReviewPage:
    rows = uncertain_posts(actor=actor, limit=limit)
    model = ClassifierModel.objects.filter(is_active=True).order_by("-trained_at", "-id").first()
    corrections = Correction.objects.count()
    return ReviewPage(
        rows=rows,
        corrections=corrections,
        corrections_since_training=corrections - (model.corrections if model else 0),
        model_note=model.note if model else "",
        model_trained_at=model.trained_at if model else None,
        is_trained=classifier_current().is_trained,
    )

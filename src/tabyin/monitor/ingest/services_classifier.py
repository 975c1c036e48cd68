"""The sentiment classifier's training, and staff corrections (the model in use: ``selectors``).

Tabyin ships only the seed lexicon (``pipeline.lexicon``). An operator trains a model on files they
have the right to use (``tabyin manage monitor_train``); analysts' corrections are added on top and
the model is retrained from them without the operator's files (the base counts are kept in the
payload). The newest active ``ClassifierModel`` row is the model every process uses.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.monitor import permissions
from tabyin.monitor.enums import Sentiment
from tabyin.monitor.ingest.selectors import classifier_current
from tabyin.monitor.ingest.services_stories import recompute_stories, serialise_story_assignment
from tabyin.monitor.models import ClassifierModel, Correction, Post
from tabyin.monitor.pipeline.classify import Classifier, train

# Staff corrections are in-domain and few: each counts as this many training texts.
CORRECTION_WEIGHT = 5
_SCORES = {Sentiment.NEGATIVE: -1.0, Sentiment.NEUTRAL: 0.0, Sentiment.POSITIVE: 1.0}


def _correction_samples() -> list[tuple[str, str]]:
    return list(Correction.objects.values_list("post__text", "sentiment").order_by("id"))


def _store(classifier: Classifier, *, samples: int, corrections: int, note: str) -> ClassifierModel:
    with transaction.atomic():
        ClassifierModel.objects.filter(is_active=True).update(is_active=False)
        return ClassifierModel.objects.create(
            trained_at=timezone.now(),
            payload=classifier.to_payload(),
            samples=samples,
            corrections=corrections,
            note=note[:300],
            is_active=True,
        )


def classifier_train(
    *, samples: Iterable[tuple[str, str]], note: str = "", include_corrections: bool = True
) -> ClassifierModel:
    """Train a new base model on ``(text, label)`` pairs (plus the corrections) and make it active."""
    rows = list(samples)
    classifier = train(rows)
    corrections = _correction_samples() if include_corrections else []
    if corrections:
        classifier = classifier.with_corrections(corrections, weight=CORRECTION_WEIGHT)
    return _store(classifier, samples=len(rows), corrections=len(corrections), note=note)


def classifier_retrain_from_corrections(*, actor: User | None = None) -> ClassifierModel:
    """Keep the active model's base counts and replace its corrections with all current ones.
    ``actor`` is who asked on the staff page (analysts only); the command passes none."""
    if actor is not None:
        permissions.require(permissions.can_triage(scope_for(actor)), "only analysts retrain the model")
    current = classifier_current()
    corrections = _correction_samples()
    classifier = current.with_corrections(corrections, weight=CORRECTION_WEIGHT)
    base_samples = sum(current.base.docs.values())
    return _store(
        classifier,
        samples=base_samples,
        corrections=len(corrections),
        note=_("Retrained from %(n)d staff corrections") % {"n": len(corrections)},
    )


@transaction.atomic
def correction_record(*, actor: User, post: Post, sentiment: str) -> Correction:
    """An analyst's label for a post: kept for training, and the post shows it from now on."""
    permissions.require(permissions.can_triage(scope_for(actor)), "only analysts correct sentiment")
    if sentiment not in Sentiment.values:
        raise ValidationError({"sentiment": _("Choose negative, neutral or positive.")})
    before = {"sentiment": post.sentiment}
    correction, _created = Correction.objects.update_or_create(
        post=post, defaults={"sentiment": sentiment, "by": actor, "at": timezone.now()}
    )
    # The story's tallies count this post's label: recount them, under the lock ingestion keeps
    # them by, so that a batch adding to the same story does not write over the recount.
    serialise_story_assignment()
    Post.objects.filter(pk=post.pk).update(sentiment=sentiment, sentiment_score=_SCORES[Sentiment(sentiment)])
    recompute_stories([post.story_id])
    post.sentiment, post.sentiment_score = sentiment, _SCORES[Sentiment(sentiment)]
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=post, before=before, after={"sentiment": sentiment}
    )
    return correction

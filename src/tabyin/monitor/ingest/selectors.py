"""Reads of ingestion: the sentiment model in use.

It is a read (one indexed query to see whether the active model changed, then the process's
copy), so selectors that label a trial text or pick posts to review call it here, never through
the services that train the model.
"""

from __future__ import annotations

import threading

from tabyin.monitor.models import ClassifierModel
from tabyin.monitor.pipeline.classify import Classifier

_lock = threading.Lock()
_cached: dict[str, tuple[int | None, Classifier]] = {}


def _active_id() -> int | None:
    return (
        ClassifierModel.objects.filter(is_active=True)
        .order_by("-trained_at", "-id")
        .values_list("id", flat=True)
        .first()
    )


def classifier_current() -> Classifier:
    """The active model (one indexed query to see whether it changed), or the lexicon default."""
    active = _active_id()
    with _lock:
        cached = _cached.get("current")
        if cached is not None and cached[0] == active:
            return cached[1]
    if active is None:
        classifier = Classifier.default()
    else:
        classifier = Classifier.from_payload(ClassifierModel.objects.get(pk=active).payload)
    with _lock:
        _cached["current"] = (active, classifier)
    return classifier

"""What waits for a person on the transparency site, for their "my work" list (core's registry).

Reviewers (national senior managers and analysts): explanations sent for review by someone else.
Authors: their explanations returned to them. Data publishers: validated releases not yet
published or withdrawn.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tabyin.core.http import page_language
from tabyin.core.models import User
from tabyin.core.registry import Priority, WorkItem
from tabyin.core.scoping import scope_for
from tabyin.core.work import ref
from tabyin.portal import permissions
from tabyin.portal.enums import ExplanationState, ReleaseState
from tabyin.portal.models import Explanation, Release


def work_items(user: User) -> list[WorkItem]:
    scope = scope_for(user)
    items = _returned(user)
    if permissions.can_review_explanations(scope):
        items += _to_review(user)
    if permissions.can_publish_data(scope):
        items += _releases()
    return items


def _title(explanation: Explanation) -> str:
    return (page_language() == "en" and explanation.title_en) or explanation.title_fa


def _to_review(user: User) -> list[WorkItem]:
    found = Explanation.objects.filter(state=ExplanationState.IN_REVIEW).exclude(author=user)
    return [
        WorkItem(
            title=_("Review the explanation: %(title)s") % {"title": _title(e)},
            url=reverse("portal:staff-explanation", args=[e.pk]),
            key=f"review-{e.pk}",
        )
        for e in found.order_by("submitted_at", "pk")
    ]


def _returned(user: User) -> list[WorkItem]:
    found = Explanation.objects.filter(state=ExplanationState.RETURNED, author=user)
    return [
        WorkItem(
            title=_("Revise the explanation returned to you: %(title)s") % {"title": _title(e)},
            url=reverse("portal:staff-explanation", args=[e.pk]),
            key=f"returned-{e.pk}",
            priority=Priority.HIGH,
        )
        for e in found.order_by("pk")
    ]


def _releases() -> list[WorkItem]:
    language = page_language()
    found = Release.objects.filter(state=ReleaseState.VALIDATED).select_related("dataset")
    return [
        WorkItem(
            title=_("Publish or withdraw release %(number)s of %(dataset)s")
            % {
                "number": ref(r.number),
                "dataset": r.dataset.title_en if language == "en" else r.dataset.title_fa,
            },
            url=reverse("portal:staff-release", args=[r.pk]),
            key=f"release-{r.pk}",
        )
        for r in found.order_by("pk")
    ]

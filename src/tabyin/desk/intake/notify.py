"""Who hears about what at the desk, through core's one notification service: a filed request
reaches the PR people who triage it, a change of state and PR's comments reach the requester,
the requester's comments reach the owner (or PR while nobody owns it)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tabyin.core.models import User
from tabyin.core.notify import services as services_notify
from tabyin.desk.intake import selectors
from tabyin.desk.intake.models import Comment, DeskRequest

APP = "desk"


def _url(request: DeskRequest) -> str:
    return reverse("desk:request", args=[request.pk])


def filed(request: DeskRequest) -> int:
    told = 0
    for person in selectors.pr_people(request.province_id):
        if person.pk == request.requester_id:
            continue
        found = services_notify.tell(
            user=person,
            app=APP,
            key=f"filed-{request.pk}",
            title=_("New communication request: %(title)s") % {"title": request.title},
            url=_url(request),
        )
        told += found is not None
    return told


def state_changed(request: DeskRequest, actor: User) -> None:
    if request.requester_id == actor.pk:
        return
    services_notify.tell(
        user=request.requester,
        app=APP,
        key=f"state-{request.pk}-{request.state}",
        title=_("Your request «%(title)s» is now: %(state)s")
        % {"title": request.title, "state": request.get_state_display()},
        url=_url(request),
    )


def commented(comment: Comment) -> None:
    request = comment.request
    if comment.author_id == request.requester_id:
        people = [request.owner] if request.owner else selectors.pr_people(request.province_id)
    else:
        people = [request.requester]
    for person in people:
        if person is None or person.pk == comment.author_id:
            continue
        services_notify.tell(
            user=person,
            app=APP,
            key=f"comment-{comment.pk}",
            title=_("New comment on the request «%(title)s»") % {"title": request.title},
            url=_url(request),
        )

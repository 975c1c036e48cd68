"""How a request moves, in order only: PR accepts, asks for more or declines (with a reason),
assigns an owner, starts the work and delivers; the requester answers a question and rates the
result, which closes it. A move out of order is refused with a message that names the moves
allowed, and the attempt is audited.

Accepting sets the due time: the kind's delivery service level counted in working hours on the
organization's calendar (``core.workcal``) from the moment PR accepted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tabyin.core.enums import AuditAction
from tabyin.core.models import User
from tabyin.core.scoping import scope_for
from tabyin.core.services import audit_record
from tabyin.core.workcal import services as workcal
from tabyin.desk import permissions
from tabyin.desk.enums import NEXT, State
from tabyin.desk.intake import notify, selectors
from tabyin.desk.intake.models import Delivery, DeskRequest, FileRole, Move
from tabyin.desk.intake.services import check_files, comment_add, refused, request_for, snapshot, store_files

# Moves the requester's side makes; every other move is PR's.
REQUESTER_MOVES = {(State.NEEDS_INFO, State.SUBMITTED), (State.DELIVERED, State.CLOSED)}


def _labels(states: tuple[str, ...]) -> str:
    if not states:
        return _("nowhere (it is finished)")
    return _(", ").join(f"«{State(s).label}»" for s in states)


def check_order(actor: User, request: DeskRequest, to: str) -> None:
    """Refuse (audited, with the moves allowed) a move that is not the next step."""
    if to not in NEXT[request.state]:
        # The move asked for, as a change of state the log shows beside the refusal.
        refused(actor, request, "out_of_order", before={"state": request.state}, state=to)
        raise ValidationError(
            _("This request is «%(state)s»; from there it can only go to %(next)s.")
            % {"state": request.get_state_display(), "next": _labels(NEXT[request.state])}
        )


def move(
    *, actor: User, request: DeskRequest, to: str, note: str = "", now: datetime | None = None
) -> DeskRequest:
    """Move ``request`` to ``to`` if that is the next step from where it is and ``actor`` may make
    it; stamps the times the reports measure (first response, due, delivered, closed)."""
    now = now or timezone.now()
    request = request_for(actor, request.pk)
    scope = scope_for(actor)
    pr = permissions.can_triage(scope, request.province_id)
    requester_side = request.unit_id in scope.unit_ids
    check_order(actor, request, to)
    if (request.state, to) in REQUESTER_MOVES:
        if not (requester_side or (pr and to == State.CLOSED)):
            raise PermissionDenied("not the requester")
    elif not pr:
        raise PermissionDenied("not PR for this request")
    if to in (State.NEEDS_INFO, State.DECLINED) and not note.strip():
        raise ValidationError(
            {"note": [_("Say what is missing or why it is declined; the requester reads it.")]}
        )
    before = snapshot(request)
    with transaction.atomic():
        Move.objects.create(
            request=request, actor=actor, from_state=request.state, to_state=to, note=note.strip(), at=now
        )
        if pr and request.first_response_at is None and request.state == State.SUBMITTED:
            request.first_response_at = now
        if to in (State.NEEDS_INFO, State.DECLINED):
            request.reason = note.strip()
        if to == State.ACCEPTED:
            _response, delivery = selectors.service_level(request.kind)
            request.due_at = workcal.add_working_hours(now, delivery)
        if to == State.DELIVERED:
            request.delivered_at = now
        if to in (State.CLOSED, State.DECLINED):
            request.closed_at = now
        request.state = to
        request.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=request,
            unit=request.unit,
            before=before,
            after=snapshot(request),
        )
        transaction.on_commit(lambda: notify.state_changed(request, actor))
    return request


def assign(*, actor: User, request: DeskRequest, owner: User | None) -> DeskRequest:
    """PR names who does the work (one of the PR people for this request)."""
    request = request_for(actor, request.pk)
    if not permissions.can_triage(scope_for(actor), request.province_id):
        raise PermissionDenied("not PR for this request")
    if owner is not None and owner.pk not in {p.pk for p in selectors.pr_people(request.province_id)}:
        raise ValidationError({"owner": [_("The owner must be one of the PR staff who serve this unit.")]})
    before = snapshot(request)
    request.owner = owner
    request.save(update_fields=["owner"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=request,
        unit=request.unit,
        before=before,
        after=snapshot(request),
    )
    return request


def deliver(
    *,
    actor: User,
    request: DeskRequest,
    url: str = "",
    ref: str = "",
    note: str = "",
    files: list[Any] | None = None,
    now: datetime | None = None,
) -> DeskRequest:
    """Record what PR delivered (a link, a reference such as ``campaigns:12``, files) and move the
    request to delivered. At least one of them is needed."""
    request = request_for(actor, request.pk)
    check_order(actor, request, State.DELIVERED)
    if not (url.strip() or ref.strip() or files):
        raise ValidationError({"url": [_("Give a link, a reference or a file of what was delivered.")]})
    checked = check_files(actor, request.unit, list(files or []))
    now = now or timezone.now()
    with transaction.atomic():
        row = Delivery.objects.create(
            request=request, url=url.strip(), ref=ref.strip(), note=note.strip(), added_by=actor, added_at=now
        )
        store_files(request, checked, actor=actor, role=FileRole.DELIVERY)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=row,
            unit=request.unit,
            after={"request": request.pk, "url": row.url, "ref": row.ref},
        )
        return move(actor=actor, request=request, to=State.DELIVERED, note=note, now=now)


def answer_info(*, actor: User, request: DeskRequest, text: str, now: Any = None) -> DeskRequest:
    """The requester answers PR's question: the answer becomes a comment and the request goes back
    to PR's queue."""
    request = request_for(actor, request.pk)
    if request.unit_id not in scope_for(actor).unit_ids:
        raise PermissionDenied("not the requesting unit")
    check_order(actor, request, State.SUBMITTED)
    comment_add(actor=actor, request=request, text=text, now=now)
    return move(actor=actor, request=request, to=State.SUBMITTED, now=now)


def rate(*, actor: User, request: DeskRequest, rating: int, note: str = "", now: Any = None) -> DeskRequest:
    """The requester (or a member of the requesting unit) rates the delivered result 1–5; this
    closes the request."""
    request = request_for(actor, request.pk)
    if request.unit_id not in scope_for(actor).unit_ids:
        raise ValidationError(_("Only the unit that asked rates the result."))
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Choose a rating from 1 to 5.")]})
    check_order(actor, request, State.CLOSED)
    before = {"rating": request.rating}
    request.rating, request.rating_note = rating, note.strip()
    request.save(update_fields=["rating", "rating_note"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=request,
        unit=request.unit,
        before=before,
        after={"rating": rating},
    )
    return move(actor=actor, request=request, to=State.CLOSED, now=now)

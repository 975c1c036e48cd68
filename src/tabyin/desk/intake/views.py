"""Staff pages of the desk: the list, the board, a new request, a request's page with the actions
the person may take, and its files. Views stay thin: the services check scope and order."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import add_service_errors, staff_user
from tabyin.core.scoping import scope_for
from tabyin.desk import permissions
from tabyin.desk.enums import BOARD, NEXT, State
from tabyin.desk.intake import selectors, services, services_flow
from tabyin.desk.intake.forms import (
    AnswerForm,
    AssignForm,
    CommentForm,
    DeliverForm,
    MoveForm,
    RateForm,
    RequestForm,
)
from tabyin.desk.intake.models import DeskRequest, RequestFile

# PR's buttons for each move, in the order they are offered.
MOVE_LABELS = {
    State.ACCEPTED: gettext_lazy("Accept"),
    State.NEEDS_INFO: gettext_lazy("Ask for more information"),
    State.DECLINED: gettext_lazy("Decline"),
    State.IN_PROGRESS: gettext_lazy("Start the work"),
    State.CLOSED: gettext_lazy("Close without a rating"),
}


def _rows(items: Any) -> list[dict[str, Any]]:
    now = timezone.now()
    return [{"r": r, "overdue": selectors.is_overdue(r, now)} for r in items]


@staff_required
def request_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    items = selectors.requests_for(user)
    state = request.GET.get("state", "")
    if state in State.values:
        items = items.filter(state=state)
    return render(
        request,
        "desk/list.html",
        {
            "rows": _rows(items[:300]),
            "states": State.choices,
            "state": state,
            "is_pr": permissions.is_pr(scope_for(user)),
        },
    )


@staff_required
def board(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    rows = _rows(selectors.requests_for(user)[:500])
    columns = [(s, State(s).label, [row for row in rows if row["r"].state == s]) for s in BOARD]
    return render(
        request, "desk/board.html", {"columns": columns, "overdue": sum(r["overdue"] for r in rows)}
    )


@staff_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not permissions.can_file(scope_for(user)):
        raise PermissionDenied
    form = RequestForm(request.POST or None, request.FILES or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.request_file(
                    actor=user,
                    unit=data["unit"],
                    kind=data["kind"],
                    title=data["title"],
                    purpose=data["purpose"],
                    audience=data["audience"],
                    deadline=data["deadline"],
                    contact=data["contact"],
                    materials=data["materials"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your request was sent to PR; you can follow it here."))
                return redirect("desk:request", pk=item.pk)
        status = 400
    return render(request, "desk/new.html", {"form": form}, status=status)


def _detail(request: HttpRequest, item: DeskRequest, status: int = 200, **bound: forms.Form) -> HttpResponse:
    user = staff_user(request)
    scope = scope_for(user)
    pr = permissions.can_triage(scope, item.province_id)
    mine = item.unit_id in scope.unit_ids
    moves = []
    if pr:
        moves = [
            (to, MOVE_LABELS[to])
            for to in (State.ACCEPTED, State.NEEDS_INFO, State.DECLINED, State.IN_PROGRESS, State.CLOSED)
            if to in NEXT[item.state]
        ]
    forms_: dict[str, forms.Form | None] = {
        "move_form": bound.get("move_form") or (MoveForm() if moves else None),
        "assign_form": bound.get("assign_form")
        or (
            AssignForm(initial={"owner": item.owner_id}, people=selectors.pr_people(item.province_id))
            if pr
            else None
        ),
        "deliver_form": bound.get("deliver_form")
        or (DeliverForm() if pr and item.state == State.IN_PROGRESS else None),
        "answer_form": bound.get("answer_form")
        or (AnswerForm() if mine and item.state == State.NEEDS_INFO else None),
        "rate_form": bound.get("rate_form")
        or (RateForm() if mine and item.state == State.DELIVERED else None),
        "comment_form": bound.get("comment_form") or CommentForm(),
    }
    context = {
        "item": item,
        "pr": pr,
        "moves": moves,
        "overdue": selectors.is_overdue(item, timezone.now()),
        "materials": item.files.filter(role="material"),
        "delivered_files": item.files.filter(role="delivery"),
        "deliveries": item.deliveries.all(),
        "comments": item.comments.select_related("author"),
        "history": item.moves.select_related("actor"),
        **forms_,
    }
    return render(request, "desk/detail.html", context, status=status)


@staff_required
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, services.request_for(staff_user(request), pk))


def _act(
    request: HttpRequest, pk: int, *, form_name: str, form: forms.Form, action: Any, done: str
) -> HttpResponse:
    """Run a service with a valid form; on a refusal show the page again with the form and its
    message (nothing typed is lost)."""
    user = staff_user(request)
    item = services.request_for(user, pk)
    if form.is_valid():
        try:
            action(user, item, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("desk:request", pk=pk)
    return _detail(request, services.request_for(user, pk), 400, **{form_name: form})


@staff_required
@require_POST
def request_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form_name="move_form",
        form=MoveForm(request.POST),
        action=lambda u, i, d: services_flow.move(actor=u, request=i, to=d["to"], note=d["note"]),
        done=_("The request moved on; the requester was told."),
    )


@staff_required
@require_POST
def request_assign(request: HttpRequest, pk: int) -> HttpResponse:
    item = services.request_for(staff_user(request), pk)
    return _act(
        request,
        pk,
        form_name="assign_form",
        form=AssignForm(request.POST, people=selectors.pr_people(item.province_id)),
        action=lambda u, i, d: services_flow.assign(actor=u, request=i, owner=d["owner"]),
        done=_("The owner was saved."),
    )


@staff_required
@require_POST
def request_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form_name="deliver_form",
        form=DeliverForm(request.POST, request.FILES),
        action=lambda u, i, d: services_flow.deliver(
            actor=u, request=i, url=d["url"], ref=d["ref"], note=d["note"], files=d["attachments"]
        ),
        done=_("The delivery was recorded; the requester was told."),
    )


@staff_required
@require_POST
def request_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form_name="comment_form",
        form=CommentForm(request.POST),
        action=lambda u, i, d: services.comment_add(actor=u, request=i, text=d["text"]),
        done=_("Your comment was added."),
    )


@staff_required
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form_name="answer_form",
        form=AnswerForm(request.POST),
        action=lambda u, i, d: services_flow.answer_info(actor=u, request=i, text=d["text"]),
        done=_("Your answer was sent; the request is back with PR."),
    )


@staff_required
@require_POST
def request_rate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form_name="rate_form",
        form=RateForm(request.POST),
        action=lambda u, i, d: services_flow.rate(actor=u, request=i, rating=d["rating"], note=d["note"]),
        done=_("Thank you: your rating was saved and the request is closed."),
    )


@staff_required  # type: ignore[arg-type]  # a file answer, not an HttpResponse
def request_file(request: HttpRequest, token: str) -> FileResponse:
    row = get_object_or_404(RequestFile, token=token)
    services.request_for(staff_user(request), row.request_id)  # 404 outside the person's scope
    if not row.file:
        raise Http404
    return FileResponse(
        row.file.open("rb"), as_attachment=True, filename=row.label, content_type=row.content_type
    )

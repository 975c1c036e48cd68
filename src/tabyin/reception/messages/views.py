"""The managers' reception pages: the announcements with their key messages, and each one's report.
Thin: the services and selectors decide."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import add_service_errors, page_language, staff_user
from tabyin.core.scoping import scope_for
from tabyin.reception.messages import permissions, presentation, selectors, services
from tabyin.reception.messages.forms import AnnouncementForm, AnswerForm, MessageForm
from tabyin.reception.messages.models import KeyMessage


@staff_required
@require_http_methods(["GET", "POST"])
def announcement_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    found = selectors.announcements_for(user=user)
    manage = permissions.can_manage(scope_for(user))
    form = AnnouncementForm(request.POST or None) if manage else None
    status = 200
    if request.method == "POST":
        permissions.require(manage)
        assert form is not None
        if form.is_valid():
            try:
                made = services.announcement_create(actor=user, spec=form.spec())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                flash.success(request, _("The announcement and its key messages were saved."))
                return redirect("reception:staff-message", pk=made.pk)
        status = 400
    context = {"announcements": found, "form": form}
    return render(request, "reception/messages/staff_list.html", context, status=status)


def _report_page(
    request: HttpRequest, pk: int, *, edit: tuple[int, MessageForm] | None = None
) -> HttpResponse:
    user = staff_user(request)
    announcement = get_object_or_404(selectors.announcements_for(user=user), pk=pk)
    report = selectors.report(user=user, announcement=announcement)
    language = page_language()
    rows = []
    for index, item in enumerate(report.messages, start=1):
        form = edit[1] if edit is not None and edit[0] == item.message.pk else None
        facts = "\n".join(f["text"] for f in item.message.facts) if item.message.facts_edited else ""
        rows.append(
            {
                "report": item,
                "chart": presentation.chart(
                    item.series, language=language, chart_id=f"message-chart-{index}"
                ),
                "clusters": [
                    {
                        "row": row,
                        "claim": presentation.claim(row.cluster.change, language),
                        "examples": [
                            presentation.side_by_side(item.message.text, e.text, e.change, language)
                            for e in row.cluster.examples
                        ],
                    }
                    for row in item.clusters
                ],
                "form": form or MessageForm(initial={"text": item.message.text, "facts": facts}),
            }
        )
    context = {
        "report": report,
        "rows": rows,
        "manage": permissions.can_manage(scope_for(user)),
    }
    return render(request, "reception/messages/staff_report.html", context, status=400 if edit else 200)


@staff_required
def announcement_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_page(request, pk)


@staff_required
@require_POST
def message_edit(request: HttpRequest, pk: int, message_id: int) -> HttpResponse:
    user = staff_user(request)
    permissions.require(permissions.can_manage(scope_for(user)))
    announcement = get_object_or_404(selectors.announcements_for(user=user), pk=pk)
    message = get_object_or_404(KeyMessage, announcement=announcement, pk=message_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_update(
                actor=user, message=message, text=form.cleaned_data["text"], facts=form.cleaned_data["facts"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            flash.success(request, _("The key message was saved."))
            return redirect("reception:staff-message", pk=pk)
    return _report_page(request, pk, edit=(message.pk, form))


@staff_required
@require_POST
def cluster_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    announcement = get_object_or_404(selectors.announcements_for(user=user), pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("This misreading could not be read; reload the page and try again."))
        return redirect("reception:staff-message", pk=pk)
    message = get_object_or_404(KeyMessage, announcement=announcement, pk=form.cleaned_data["message"])
    title = _("Correction: %(message)s") % {"message": message.text[:200]}
    body = _("What was announced: %(message)s") % {"message": message.text}
    try:
        answer = services.cluster_answer(
            actor=user,
            message=message,
            signature=form.cleaned_data["signature"],
            story_key=form.cleaned_data["story"],
            title=title,
            body=body,
        )
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        flash.error(request, text)
        return redirect("reception:staff-message", pk=pk)
    return redirect(answer.response_url)

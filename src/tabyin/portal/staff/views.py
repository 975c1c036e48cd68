"""Staff pages of the transparency site: releases (upload, validation report, publication) and
explanations (write, review, publish). Thin: parse the request, call a service, render.

A ``PermissionDenied`` raised by a service becomes the shell's 403 page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import page_language, staff_user
from tabyin.core.models import User
from tabyin.portal.enums import ExplanationState, ReleaseState
from tabyin.portal.explanations import services as explanations
from tabyin.portal.models import Dataset, Explanation, Release
from tabyin.portal.release import services as services_release
from tabyin.portal.staff import selectors as staff
from tabyin.portal.staff.forms import (
    ExplanationFilterForm,
    ExplanationForm,
    ReleaseUploadForm,
    ReviewForm,
)

PAGE_SIZE = 50
REPORT_LIMIT = 500  # issues shown per list on the report page (validation caps them anyway)


def _says(error: services_release.ReleaseError | explanations.ExplanationError) -> str:
    """The refusal in the reader's language."""
    return str(error.fa if page_language() == "fa" else error.en)


# --- Releases ------------------------------------------------------------------------------------


@staff_required
def releases(request: HttpRequest) -> HttpResponse:
    rows = staff.releases_for_staff(actor=staff_user(request))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/staff/releases.html", {"page": page})


@staff_required
def release_new(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    staff.require_data_publisher(actor=actor)
    form = ReleaseUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            release = services_release.release_upload(
                actor=actor,
                dataset=data["dataset"],
                file_name=upload.name,
                content=upload.read(),
                status=data["status"],
                is_correction=data["is_correction"],
                reason=data["reason"],
                note=data["note"],
            )
        except services_release.ReleaseError as error:
            form.add_error(None, _says(error))
        else:
            return redirect("portal:staff-release", pk=release.pk)
    datasets = Dataset.objects.order_by("theme__order", "slug")
    return render(request, "portal/staff/release_new.html", {"form": form, "datasets": datasets})


@staff_required
def release(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = staff.release_for_staff(actor=staff_user(request), pk=pk)
    except Release.DoesNotExist:
        raise Http404 from None
    report = found.report or {}
    errors = list(report.get("errors", []))
    warnings = list(report.get("warnings", []))
    return render(
        request,
        "portal/staff/release.html",
        {
            "release": found,
            "errors": errors[:REPORT_LIMIT],
            "warnings": warnings[:REPORT_LIMIT],
            "error_total": len(errors),
            "warning_total": len(warnings),
            "periods": report.get("periods", []),
            "can_publish": found.state == ReleaseState.VALIDATED,
            "can_withdraw": found.state in (ReleaseState.VALIDATED, ReleaseState.REJECTED),
        },
    )


def _release_action(request: HttpRequest, pk: int, *, publish: bool) -> HttpResponse:
    actor = staff_user(request)
    try:
        found = staff.release_for_staff(actor=actor, pk=pk)
    except Release.DoesNotExist:
        raise Http404 from None
    try:
        if publish:
            services_release.release_publish(actor=actor, release=found)
            messages.success(request, _("The release is published."))
        else:
            services_release.release_withdraw(actor=actor, release=found)
            messages.success(request, _("The release is withdrawn; nothing of it was published."))
    except services_release.ReleaseError as error:
        messages.error(request, _says(error))
    return redirect("portal:staff-release", pk=found.pk)


@staff_required
@require_POST
def release_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _release_action(request, pk, publish=True)


@staff_required
@require_POST
def release_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _release_action(request, pk, publish=False)


@staff_required
def release_template(request: HttpRequest, slug: str) -> HttpResponse:
    dataset = get_object_or_404(Dataset, slug=slug)
    content = staff.release_template_csv(actor=staff_user(request), dataset=dataset)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dataset.slug}-template.csv"'
    return response


# --- Explanations ----------------------------------------------------------------------------


@staff_required
def explanation_list(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    filters = ExplanationFilterForm(request.GET or None)
    rows = staff.explanations_for_staff(actor=actor, **filters.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    names = staff.province_names(language=page_language())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/staff/explanations.html",
        {
            "page": page,
            "rows": [(e, names.get(e.area, "")) for e in page],
            "query": query.urlencode(),
            "states": ExplanationState.choices,
            "filters": filters,
            "counts": staff.explanation_state_counts(actor=actor),
            "can_draft": staff.can_draft(actor=actor),
        },
    )


def _show_error(form: ExplanationForm, error: explanations.ExplanationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, _says(error))


@staff_required
def explanation_new(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    form = ExplanationForm(request.POST or None, areas=staff.drafting_areas(actor=actor))
    if request.method == "POST" and form.is_valid():
        try:
            created = explanations.explanation_draft(actor=actor, **form.changes())
        except explanations.ExplanationError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The draft is saved. Submit it for review when it is ready."))
            return redirect("portal:staff-explanation", pk=created.pk)
    return render(request, "portal/staff/explanation_new.html", {"form": form})


def _visible(actor: User, pk: int) -> Explanation:
    return get_object_or_404(staff.explanations_for_staff(actor=actor), pk=pk)


@staff_required
def explanation(request: HttpRequest, pk: int) -> HttpResponse:
    actor = staff_user(request)
    current = _visible(actor, pk)
    history = staff.explanation_history(actor=actor, explanation=current)
    actions = staff.explanation_actions(actor=actor, explanation=current, newest=history[0].pk == current.pk)
    form = None
    if actions.edit or actions.new_version:
        form = ExplanationForm(
            request.POST or None,
            initial=ExplanationForm.initial_for(current),
            areas=staff.drafting_areas(actor=actor),
            attachment_fixed=not explanations.attachment_editable(current),
        )
        if request.method == "POST" and form.is_valid():
            try:
                saved = explanations.explanation_revise(actor=actor, explanation=current, **form.changes())
            except explanations.ExplanationError as error:
                _show_error(form, error)
            else:
                started = _("Version %(n)s is started as a draft.") % {"n": saved.version}
                messages.success(request, started if saved.pk != current.pk else _("Saved."))
                return redirect("portal:staff-explanation", pk=saved.pk)
    elif request.method == "POST":
        messages.error(request, _("This version cannot be edited by you in its current state."))
        return redirect("portal:staff-explanation", pk=current.pk)
    return render(
        request,
        "portal/staff/explanation.html",
        {
            "explanation": current,
            "area_name": staff.province_names(language=page_language()).get(current.area, ""),
            "history": history,
            "actions": actions,
            "form": form,
            "review_form": ReviewForm(),
        },
    )


def _explanation_action(request: HttpRequest, pk: int, action: str, done: str) -> HttpResponse:
    """Submit, approve or return: the same shape, a different service and message."""
    actor = staff_user(request)
    current = _visible(actor, pk)
    try:
        if action == "submit":
            explanations.explanation_submit(actor=actor, explanation=current)
        else:
            form = ReviewForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            service = (
                explanations.explanation_approve if action == "approve" else explanations.explanation_return
            )
            service(actor=actor, explanation=current, note=note)
    except explanations.ExplanationError as error:
        messages.error(request, _says(error))
    else:
        messages.success(request, done)
    return redirect("portal:staff-explanation", pk=current.pk)


@staff_required
@require_POST
def explanation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _explanation_action(request, pk, "submit", _("Sent for review."))


@staff_required
@require_POST
def explanation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _explanation_action(request, pk, "approve", _("Approved and published."))


@staff_required
@require_POST
def explanation_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _explanation_action(request, pk, "return", _("Returned to the author."))

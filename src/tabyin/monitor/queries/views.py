"""Watch-query pages (list, add, edit, try on a text) and the sentiment correction (staff). Thin:
selectors and services check who may see and do what; ``PermissionDenied`` is the 403 page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import safe_next, staff_user
from tabyin.monitor.ingest import services_classifier
from tabyin.monitor.models import Post, WatchQuery
from tabyin.monitor.queries import selectors as selectors_queries
from tabyin.monitor.queries import services as services_queries
from tabyin.monitor.queries.forms import CorrectionForm, QueryForm, ThresholdForm, TryForm

TEMPLATES = "monitor/staff/"


def _list(request: HttpRequest, threshold_form: ThresholdForm | None = None) -> HttpResponse:
    rows = list(selectors_queries.queries_list(actor=staff_user(request)))
    errors = {q.pk: selectors_queries.query_error(q.expression) for q in rows}
    threshold = selectors_queries.relevance_threshold()
    return render(
        request,
        TEMPLATES + "queries.html",
        {
            "queries": [(q, errors[q.pk], selectors_queries.points(q)) for q in rows],
            "try_form": TryForm(),
            "threshold": threshold,
            "threshold_form": threshold_form or ThresholdForm(initial={"threshold": threshold}),
        },
    )


@staff_required
def queries(request: HttpRequest) -> HttpResponse:
    return _list(request)


@staff_required
@require_POST
def query_threshold(request: HttpRequest) -> HttpResponse:
    form = ThresholdForm(request.POST)
    if form.is_valid():
        try:
            services_queries.relevance_threshold_set(
                actor=staff_user(request), threshold=form.cleaned_data["threshold"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The relevance threshold is saved."))
            return redirect("monitor:queries")
    selectors_queries.require_configure(staff_user(request))
    return _list(request, form)


def _edit(request: HttpRequest, query: WatchQuery | None) -> HttpResponse:
    actor = staff_user(request)
    selectors_queries.require_configure(actor)
    initial = (
        {
            "name": query.name,
            "kind": query.kind,
            "expression": query.expression,
            "province": query.province,
            "is_active": query.is_active,
            "weight": query.weight,
        }
        if query
        else None
    )
    form = QueryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services_queries.query_save(actor=actor, query=query, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The watch query is saved."))
            return redirect("monitor:query-edit", pk=saved.pk)
    stored_error = selectors_queries.query_error(query.expression) if query and not form.is_bound else ""
    return render(
        request, TEMPLATES + "queries_edit.html", {"form": form, "query": query, "stored_error": stored_error}
    )


@staff_required
def query_add(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@staff_required
def query_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        query = selectors_queries.query_get(actor=staff_user(request), pk=pk)
    except WatchQuery.DoesNotExist:
        raise Http404 from None
    return _edit(request, query)


@staff_required
def query_try(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    selectors_queries.require_configure(actor)
    form = TryForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = selectors_queries.query_try(actor=actor, **form.cleaned_data)
    expression = form.data.get("expression", "") if form.is_bound else ""
    return render(
        request,
        TEMPLATES + "queries_try.html",
        {
            "form": form,
            "result": result,
            "expression_error": selectors_queries.query_error(expression) if expression.strip() else "",
        },
    )


@staff_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    post = Post.objects.filter(pk=pk).first()
    if post is None:
        raise Http404
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose negative, neutral or positive."))
    else:
        services_classifier.correction_record(
            actor=staff_user(request), post=post, sentiment=form.cleaned_data["sentiment"]
        )
        messages.success(request, _("Thank you: the correction is kept and used in the next training."))
    return redirect(safe_next(request, reverse("monitor:story", args=[post.story_id])))

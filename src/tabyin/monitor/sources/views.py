"""Source health and configuration pages (staff). Thin: selectors and services check who may see
and do what; a ``PermissionDenied`` from them is the 403 page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tabyin.core.decorators import staff_required
from tabyin.core.http import staff_user
from tabyin.monitor.sources import selectors as selectors_sources
from tabyin.monitor.sources import services as services_sources
from tabyin.monitor.sources.forms import PasteForm, SourceForm

TEMPLATES = "monitor/staff/"


@staff_required
def sources(request: HttpRequest) -> HttpResponse:
    found = list(selectors_sources.sources_health(actor=staff_user(request)))
    return render(
        request,
        TEMPLATES + "sources.html",
        {"sources": found, "counts": selectors_sources.health_counts(found)},
    )


@staff_required
def source(request: HttpRequest, pk: int) -> HttpResponse:
    found, fetches = selectors_sources.source_detail(actor=staff_user(request), pk=pk)
    return render(request, TEMPLATES + "sources_detail.html", {"source": found, "fetches": fetches})


@staff_required
@never_cache
def source_raw(request: HttpRequest, pk: int) -> HttpResponse:
    raw, filename = selectors_sources.fetch_raw(actor=staff_user(request), pk=pk)
    # Served as an opaque download, never rendered: the bytes came from an untrusted server.
    response = HttpResponse(raw, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required
def source_add(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    services_sources.require_configure(actor)
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services_sources.source_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The source is added; its first poll is due now."))
            return redirect("monitor:source", pk=created.pk)
    return render(request, TEMPLATES + "sources_add.html", {"form": form})


@staff_required
def paste(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    services_sources.require_configure(actor)
    form = PasteForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services_sources.item_paste(
                actor=actor, text=form.cleaned_data["text"], link=form.cleaned_data["link"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = PasteForm()
    return render(request, TEMPLATES + "sources_paste.html", {"form": form, "result": result})

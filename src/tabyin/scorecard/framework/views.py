"""Staff pages of the indicator framework: the versions, one version as a tree with what changed
against the version it is based on, editing an indicator of a draft, starting a new version.

Thin: parse the request, call a selector or service, render. A ``PermissionDenied`` from a
service becomes the shell's 403 page; a version the user may not see is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import staff_user
from tabyin.core.models import User
from tabyin.scorecard.enums import FrameworkState
from tabyin.scorecard.framework import selectors, services
from tabyin.scorecard.framework.forms import IndicatorForm, ReviseForm
from tabyin.scorecard.models import Framework, Indicator  # for their DoesNotExist only


def _visible(actor: User, pk: int) -> Framework:
    try:
        return selectors.framework_for(actor=actor, pk=pk)
    except Framework.DoesNotExist:
        raise Http404 from None


@staff_required
def framework_list(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    rows = list(selectors.frameworks_for(actor=actor))
    return render(
        request,
        "scorecard/staff/framework_list.html",
        {"frameworks": rows, "can_manage": selectors.can_manage(actor=actor)},
    )


@staff_required
def framework(request: HttpRequest, pk: int) -> HttpResponse:
    actor = staff_user(request)
    found = _visible(actor, pk)
    can_manage = selectors.can_manage(actor=actor)
    return render(
        request,
        "scorecard/staff/framework.html",
        {
            "framework": found,
            "table": selectors.framework_table(found),
            "diff": selectors.framework_diff(found.based_on, found) if found.based_on else None,
            "can_manage": can_manage,
            "can_edit": can_manage and found.state == FrameworkState.DRAFT,
            "revise_form": ReviseForm() if can_manage else None,
        },
    )


@staff_required
def framework_indicator_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    actor = staff_user(request)
    selectors.require_manager(actor=actor)
    found = _visible(actor, pk)
    try:
        indicator = selectors.framework_indicator(framework=found, code=code)
    except Indicator.DoesNotExist:
        raise Http404 from None
    context: dict[str, object] = {"framework": found, "indicator": indicator, "revise_form": ReviseForm()}
    if found.state == FrameworkState.FROZEN:
        # Nothing to edit: the page says why and offers a new version instead.
        context["frozen_message"] = services.frozen_message()
        return render(request, "scorecard/staff/framework_indicator_edit.html", context)
    form = IndicatorForm(
        request.POST or None, main=indicator.parent_id is None, initial=IndicatorForm.initial_for(indicator)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(actor=actor, indicator=indicator, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("scorecard:framework", args=[found.pk]) + f"#{indicator.code}")
    context["form"] = form
    return render(request, "scorecard/staff/framework_indicator_edit.html", context)


@staff_required
@require_POST
def framework_revise(request: HttpRequest, pk: int) -> HttpResponse:
    actor = staff_user(request)
    selectors.require_manager(actor=actor)
    found = _visible(actor, pk)
    form = ReviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the new version changes and why."))
        return redirect("scorecard:framework", pk=found.pk)
    try:
        new = services.framework_revise(
            actor=actor, framework=found, change_note=form.cleaned_data["change_note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("scorecard:framework", pk=found.pk)
    messages.success(request, _("Version %(n)s is started as a draft.") % {"n": new.version})
    return redirect("scorecard:framework", pk=new.pk)

"""The staff area of the shell: dashboard, audit log, system status."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from tabyin.core import audit_text, background, permissions, selectors, work
from tabyin.core.decorators import staff_required
from tabyin.core.http import staff_user
from tabyin.core.models import Heartbeat
from tabyin.core.registry import registry
from tabyin.core.scoping import scope_for
from tabyin.core.system import services as services_system
from tabyin.core.templatetags.persian import number


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    scope = scope_for(user)
    memberships = user.memberships.select_related("unit").order_by("unit__code")
    now = timezone.now()
    mine = work.my_work(user, now)
    work.remember_counts(request.session, mine, now)
    return render(
        request,
        "core/staff/home.html",
        {
            "work": mine,
            "panels": registry.home_panels_for(user),
            "figures": registry.figures_for(user),
            "memberships": memberships,
            "scope": scope,
        },
    )


@staff_required
def audit_log(request: HttpRequest) -> HttpResponse:
    try:
        entries = list(selectors.audit_entries_for(actor=staff_user(request))[:200])
    except PermissionDenied:
        return render(request, "core/staff/forbidden.html", status=403)
    return render(request, "core/staff/audit.html", {"lines": audit_text.audit_lines(entries)})


@staff_required
def system(request: HttpRequest) -> HttpResponse:
    if not permissions.can_administer(scope_for(staff_user(request))):
        return render(request, "core/staff/forbidden.html", status=403)
    token = request.session.get("tabyin_probe", "")
    state = background.backend_state()
    return render(
        request,
        "core/staff/system.html",
        {
            "tasks": state,
            "heartbeat": Heartbeat.objects.filter(key="tasks").first(),
            "probe_token": token,
            "probe_done": services_system.tasks_probe_done(token) if token else None,
            "engine": ENGINES.get(state["engine"], state["engine"]),
            "schedule": [
                (job.task_name, _every(job.every))
                for job in sorted(background.schedule().values(), key=lambda p: p.task_name)
            ],
        },
    )


# The engine's code (background.backend_state) in words.
ENGINES = {"in-process": gettext_lazy("in this process (embedded)"), "celery": gettext_lazy("Celery workers")}


def _every(span: timedelta) -> str:
    """A periodic job's interval in whole hours, minutes or seconds, in the page's digits."""
    seconds = int(span.total_seconds())
    if seconds and seconds % 3600 == 0:
        n = seconds // 3600
        return ngettext("every %(n)s hour", "every %(n)s hours", n) % {"n": number(n)}
    if seconds and seconds % 60 == 0:
        n = seconds // 60
        return ngettext("every %(n)s minute", "every %(n)s minutes", n) % {"n": number(n)}
    return ngettext("every %(n)s second", "every %(n)s seconds", seconds) % {"n": number(seconds)}


@staff_required
@require_POST
def system_probe(request: HttpRequest) -> HttpResponse:
    if not permissions.can_administer(scope_for(staff_user(request))):
        return render(request, "core/staff/forbidden.html", status=403)
    request.session["tabyin_probe"] = services_system.tasks_probe_send()
    messages.info(request, _("A test task was sent. Reload this page to see whether it ran."))
    return redirect("core:system")

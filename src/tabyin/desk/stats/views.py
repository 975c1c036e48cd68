"""The desk's report page: what was asked, how fast PR answered and delivered, how satisfied
the units were; scoped like the list (PR sees what it serves, a unit its own)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tabyin.core.decorators import staff_required
from tabyin.core.http import page_language, staff_user
from tabyin.desk.enums import Kind
from tabyin.desk.stats import selectors


@staff_required
def reports(request: HttpRequest) -> HttpResponse:
    found = selectors.report_for(staff_user(request), page_language())
    return render(request, "desk/reports.html", {"report": found, "kinds": Kind.choices})

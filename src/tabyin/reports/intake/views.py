"""The citizen's side of violation reports: what can be reported, the form, the receipt shown once,
follow-up with the receipt code, and printable posters.

Pages are rendered on the server and work without JavaScript. Nothing about the visitor is read:
the client address and user agent are gone before any view runs (core's middleware), and the only
cookies set here are the CSRF token and the short-lived vault halves of an open receipt or case.
The receipt code travels in POST bodies and in the one page that shows it, never in a URL.
"""

from __future__ import annotations

from typing import Any

import segno
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tabyin.core.http import page_language
from tabyin.core.notify import web_public
from tabyin.reports.crypto import receipts, vault
from tabyin.reports.intake import abuse, forms, services_reporter
from tabyin.reports.intake import services as services_intake
from tabyin.reports.intake.validation import SubmissionError
from tabyin.reports.keys import services as services_keys

PRIVATE = "no-store"


def _page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    private: bool = False,
    noindex: bool = False,
    posts: bool = False,
) -> HttpResponse:
    response = render(request, f"reports/public/{template}", context or {}, status=status)
    return _headers(response, private=private, noindex=noindex, posts=posts)


def _headers(response: HttpResponse, *, private: bool, noindex: bool, posts: bool = False) -> HttpResponse:
    # No page of a reporter's tells another site where they came from. A page with a POST form
    # must still name its own origin to this site, or browsers send "Origin: null" and the CSRF
    # check refuses the form; "same-origin" sends nothing to any other site either.
    response.headers["Referrer-Policy"] = "same-origin" if posts else "no-referrer"
    if private:
        response.headers["Cache-Control"] = PRIVATE
    if noindex:
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url, status=303)
    _headers(response, private=True, noindex=True)
    return response


def _guard(purpose: str, kept: abuse.Ticket | None = None) -> dict[str, Any]:
    """The form's token, challenge and trap fields: a kept ticket's own (a correction), or new."""
    challenge = abuse.challenge(kept.token if kept is not None else abuse.issue(purpose))
    return {
        "token": challenge.token,
        "token_name": abuse.TOKEN,
        "pow_nonce": challenge.nonce,
        "pow_bits": challenge.bits,
        "pow_name": abuse.ANSWER,
        "pow_answer": kept.answer if kept is not None else "",
        "honeypot": abuse.HONEYPOT,
    }


def _retry(response: HttpResponse, status: int) -> HttpResponse:
    if status == 429:
        response.headers["Retry-After"] = "60"
    return response


def _too_large(request: HttpRequest) -> HttpResponse:
    context = {"limit_mb": abuse.body_limit() // (1024 * 1024)}
    return _page(request, "too_large.html", context, status=413, private=True)


# --- Information ----------------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return _page(
        request, "index.html", {"categories": forms.active_categories(), "language": page_language()}
    )


@require_safe
def protections(request: HttpRequest) -> HttpResponse:
    return _page(
        request, "protections.html", {"categories": forms.active_categories(), "language": page_language()}
    )


# --- The form -------------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, form: forms.ReportForm, *, status: int = 200, kept: abuse.Ticket | None = None
) -> HttpResponse:
    context = {"form": form, "language": page_language(), "accept": forms.ACCEPT, **_guard("report", kept)}
    response = _page(request, "form.html", context, status=status, private=True, noindex=True, posts=True)
    return _retry(response, status)


@sensitive_post_parameters()
@abuse.body_capped(_too_large)
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables()
def new(request: HttpRequest) -> HttpResponse:
    language = page_language()
    confidential = services_keys.custodian_keyring() is not None
    if request.method == "POST":
        return _submit(request, language, confidential)
    category = forms.category_by_code(request.GET.get("category", ""))
    office = forms.office_by_code(request.GET.get("office", ""))
    if category is None:
        context = {
            "categories": forms.active_categories(),
            "language": language,
            "office": office,
            "office_name": forms.office_name(office, language) if office else "",
            "unknown": bool(request.GET.get("category")),
        }
        return _page(request, "choose.html", context, private=True, noindex=True)
    initial = {"identity_mode": "anonymous", **forms.office_initial(office, language)}
    form = forms.report_form(
        category=category, language=language, confidential_available=confidential, initial=initial
    )
    return _form_page(request, form)


@sensitive_variables()
def _submit(request: HttpRequest, language: str, confidential: bool) -> HttpResponse:
    category = forms.category_by_code(request.POST.get("category", ""))
    if category is None:
        return _see_other(reverse("reports:new"))

    def again(errors: dict[str, list[str]], kept: abuse.Ticket | None, status: int = 400) -> HttpResponse:
        form = forms.report_form(
            category=category,
            language=language,
            confidential_available=confidential,
            data=request.POST,
            errors=errors,
            files_sent=bool(request.FILES.getlist("files")),
        )
        return _form_page(request, form, status=status, kept=kept)

    try:
        ticket = abuse.admit(request.POST, "report")
    except abuse.RefusedError as refused:
        return again({"form": [refused.message]}, refused.kept, refused.status)
    if not abuse.claim(ticket):  # a second post of the same form at the same moment
        return again({"form": [abuse.refused_text()]}, None)
    data, lists, files = forms.submission(request.POST, request.FILES, list(category.questions))
    try:
        submitted = services_intake.report_submit(
            category_code=category.code, data=data, lists=lists, files=files
        )
    except SubmissionError as invalid:
        abuse.release(ticket)
        return again(invalid.errors, ticket)
    except BaseException:
        abuse.release(ticket)
        raise
    abuse.accepted(ticket)
    response = _see_other(reverse("reports:receipt"))
    vault.put(response, vault.RECEIPT, submitted.code.encode())
    return response


@require_safe
def receipt(request: HttpRequest) -> HttpResponse:
    secret = vault.get(request, vault.RECEIPT)
    code = secret.decode() if secret else ""
    context = {
        "groups": receipts.display(code).split(" ") if code else [],
        "ascii": receipts.display(code) if code else "",
    }
    response = _page(request, "receipt.html", context, private=True, noindex=True)
    # Shown once: the server half goes now, so a reload or the back button finds nothing.
    vault.drop(request, response, vault.RECEIPT)
    return response


# --- Follow-up ------------------------------------------------------------------------------------


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables()
def follow_up(request: HttpRequest) -> HttpResponse:
    def page(context: dict[str, Any], kept: abuse.Ticket | None = None, status: int = 200) -> HttpResponse:
        context = {**context, **_guard("lookup", kept)}
        response = _page(
            request, "follow_up.html", context, status=status, private=True, noindex=True, posts=True
        )
        return _retry(response, status)

    if request.method != "POST":
        return page({})
    typed = request.POST.get("code", "")
    try:
        ticket = abuse.admit(request.POST, "lookup")
    except abuse.RefusedError as refused:
        # A refusal before the code was tried keeps what was typed: nothing was learnt from it.
        context = {"problem": refused.message, "typed": typed}
        return page(context, refused.kept, refused.status)
    access = services_reporter.receipt_open(raw_code=typed)
    if access is None:
        abuse.lookup_failed(ticket)
        # The same words whether the code was malformed, unknown or wrong; what was typed is not shown.
        return page({"wrong": True}, ticket)
    abuse.claim(ticket)
    response = _see_other(reverse("reports:case"))
    vault.put(response, vault.REPORTER, access.dump())
    return response


def _access(request: HttpRequest) -> services_reporter.ReporterAccess | None:
    raw = vault.get(request, vault.REPORTER)
    return services_reporter.ReporterAccess.load(raw) if raw else None


def _case_page(
    request: HttpRequest,
    access: services_reporter.ReporterAccess,
    *,
    errors: dict[str, list[str]] | None = None,
    typed: str = "",
    status: int = 200,
    kept: abuse.Ticket | None = None,
) -> HttpResponse:
    try:
        case = services_reporter.reporter_case(access=access, language=page_language())
    except LookupError:
        response = _page(request, "gone.html", status=404, private=True, noindex=True)
        vault.drop(request, response, vault.REPORTER)
        return response
    errors = errors or {}
    context = {
        "case": case,
        "errors": errors,
        "other_errors": [m for k, ms in errors.items() if k not in ("body", "files") for m in ms],
        "typed": typed,
        # What the reporter was told (core's ledger of notices to the public, ADR 0040).
        **web_public.page_notices(app="reports", ref=f"report-{access.report_id}"),
        "sent": request.GET.get("sent") == "1" and not errors,
        "accept": forms.ACCEPT,
        **_guard("message", kept),
    }
    response = _page(request, "case.html", context, status=status, private=True, noindex=True, posts=True)
    return _retry(response, status)


@sensitive_post_parameters()
@abuse.body_capped(_too_large)
@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_variables()
def case(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    if access is None:
        return redirect("reports:follow-up")
    if request.method != "POST":
        return _case_page(request, access)
    return _reply(request, access)


@sensitive_variables()
def _reply(request: HttpRequest, access: services_reporter.ReporterAccess) -> HttpResponse:
    typed = request.POST.get("body", "")
    try:
        ticket = abuse.admit(request.POST, "message")
    except abuse.RefusedError as refused:
        kept = refused.kept
        errors = {"form": [refused.message]}
        return _case_page(request, access, errors=errors, typed=typed, status=refused.status, kept=kept)
    if not abuse.claim(ticket):
        return _case_page(request, access, errors={"form": [abuse.refused_text()]}, typed=typed, status=400)
    try:
        services_reporter.reporter_message_send(
            access=access, text=typed, files=forms.attachments(request.FILES)
        )
    except SubmissionError as invalid:
        abuse.release(ticket)
        return _case_page(request, access, errors=invalid.errors, typed=typed, status=400, kept=ticket)
    except LookupError:
        abuse.release(ticket)
        return _case_page(request, access)
    except BaseException:
        abuse.release(ticket)
        raise
    abuse.accepted(ticket)
    return _see_other(reverse("reports:case") + "?sent=1")


@require_safe
def case_file(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    if access is None:
        raise Http404
    try:
        found = services_reporter.reporter_file(access=access, file_id=pk)
    except LookupError:
        raise Http404 from None
    response = HttpResponse(found.data, content_type=found.content_type)
    response.headers["Content-Disposition"] = content_disposition_header(True, found.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    return _headers(response, private=True, noindex=True)


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    response = _see_other(reverse("reports:index"))
    vault.drop(request, response, vault.REPORTER)
    return response


# --- Posters --------------------------------------------------------------------------------------


@require_safe
def posters(request: HttpRequest) -> HttpResponse:
    language = page_language()
    offices = [(u, forms.office_name(u, language)) for u in forms.poster_offices(language)]
    return _page(request, "posters.html", {"offices": offices})


@require_safe
def poster(request: HttpRequest, code: str) -> HttpResponse:
    language = page_language()
    office = forms.office_by_code(code)
    if office is None or office.kind not in ("hq", "province", "branch"):
        raise Http404
    url = request.build_absolute_uri(reverse("reports:new") + f"?office={office.code}")
    qr = segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff", omitsize=True)
    context = {
        "office": office,
        "office_name": forms.office_name(office, language),
        "url": url,
        "qr_svg": qr,
        "categories": forms.active_categories(),
        "language": language,
    }
    return _page(request, "poster.html", context)

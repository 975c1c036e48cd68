"""Proving a contact before sending an entry or supporting an idea (no account, no JavaScript).

The verified identity is kept in the session for its purpose only ("author" or "support"), with
its keyed hash; the pages that need it read it back with ``verified``.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tabyin.core.http import safe_next
from tabyin.ideas.identity import services
from tabyin.ideas.identity.forms import CodeForm, ContactForm

PENDING = "ideas_pending"


def session_key(purpose: str) -> str:
    return f"ideas_verified_{purpose}"


def verified(request: HttpRequest, purpose: str) -> services.Verified | None:
    data = request.session.get(session_key(purpose))
    if not isinstance(data, dict):
        return None
    return services.Verified(kind=data["kind"], contact=data["contact"], identity_hash=data["hash"])


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, purpose: str) -> HttpResponse:
    if purpose not in services.PURPOSES:
        raise Http404
    back = safe_next(request, "/ideas/")
    pending = request.session.get(PENDING)
    step = "code" if isinstance(pending, dict) and pending.get("purpose") == purpose else "contact"
    if request.method == "POST" and request.POST.get("restart"):
        request.session.pop(PENDING, None)
        return redirect(request.get_full_path())
    status = 200
    if step == "contact":
        form: ContactForm | CodeForm = ContactForm(request.POST or None)
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    row = services.code_send(
                        purpose=purpose, kind=form.cleaned_data["kind"], value=form.cleaned_data["value"]
                    )
                except services.CodeError as error:
                    form.add_error("value", str(error))
                else:
                    request.session[PENDING] = {
                        "purpose": purpose,
                        "code_id": row.pk,
                        "kind": form.cleaned_data["kind"],
                        "value": form.cleaned_data["value"],
                    }
                    return redirect(request.get_full_path())
    else:
        assert isinstance(pending, dict)
        form = CodeForm(request.POST or None)
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    done = services.code_check(
                        code_id=pending["code_id"],
                        kind=pending["kind"],
                        value=pending["value"],
                        code=form.cleaned_data["code"],
                    )
                except services.CodeError as error:
                    form.add_error("code", str(error))
                else:
                    request.session.pop(PENDING, None)
                    request.session[session_key(purpose)] = {
                        "kind": done.kind,
                        "contact": done.contact,
                        "hash": done.identity_hash,
                    }
                    return redirect(back)
    context = {"form": form, "step": step, "purpose": purpose, "pending": pending, "back": back}
    return render(request, "ideas/identity/verify.html", context, status=status)

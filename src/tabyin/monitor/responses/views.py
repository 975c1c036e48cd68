"""Staff pages of rumor answers: the queue, and one rumor with its workflow actions.

Thin: the services check who may do what (``PermissionDenied`` is the 403 page). Every action is
a POST to one URL with an ``action`` field, answered by a redirect back to the page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import add_service_errors, staff_user
from tabyin.core.models import User
from tabyin.monitor.enums import DeliveryStatus, ResponseStatus
from tabyin.monitor.models import Response, Story
from tabyin.monitor.responses import selectors as selectors_responses
from tabyin.monitor.responses import services as services_responses
from tabyin.monitor.responses import services_publish
from tabyin.monitor.responses.forms import AssignForm, DraftForm, ReturnForm

ACTIONS = ("flag", "unflag", "assign", "draft", "submit", "approve", "return", "publish", "retry")
FORM_ACTIONS = ("assign", "draft", "return")


def story_or_404(pk: int) -> Story:
    story = Story.objects.select_related("assignee", "rumor_flagged_by").filter(pk=pk).first()
    if story is None:
        raise Http404
    return story


@never_cache
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    rows = selectors_responses.responses_queue(staff_user(request))
    return render(request, "monitor/staff/responses.html", {"rows": rows})


def _forms(
    page: selectors_responses.ResponsePage, bound: dict[str, forms.Form] | None
) -> dict[str, forms.Form]:
    story, response = page.story, page.response
    made: dict[str, forms.Form] = {
        "assign": AssignForm(
            analysts=services_responses.assignable(),
            initial={"assignee": str(story.assignee_id or "")},
            prefix="assign",
        ),
        "draft": DraftForm(
            initial={"title": response.title, "body": response.body} if response else {"title": story.title},
            prefix="draft",
        ),
        "return": ReturnForm(prefix="return"),
    }
    made.update(bound or {})
    return made


STEP_AT = {
    ResponseStatus.DRAFT: 1,
    ResponseStatus.IN_REVIEW: 2,
    ResponseStatus.APPROVED: 3,
    ResponseStatus.PUBLISHED: 4,
}


def steps(story: Story, response: Response | None) -> list[tuple[str, str]]:
    """The four steps of answering a rumor, each "done", "current" or "todo"."""
    labels = [_("Flag as rumor"), _("Draft the answer"), _("A senior manager approves"), _("Publish")]
    at = 0 if not story.is_rumor else (STEP_AT[ResponseStatus(response.status)] if response else 1)
    return [(label, "done" if i < at else "current" if i == at else "todo") for i, label in enumerate(labels)]


def _render(request: HttpRequest, story: Story, bound: dict[str, forms.Form] | None = None) -> HttpResponse:
    page = selectors_responses.response_page(staff_user(request), story)
    return render(
        request,
        "monitor/staff/responses_story.html",
        {
            "page": page,
            "forms": _forms(page, bound),
            "public_url": _public(page.response),
            "steps": steps(page.story, page.response),
            "failed": any(p.status == DeliveryStatus.FAILED for p in page.publications),
            "outbox": services_publish.outbox_state(page.response),
        },
        status=400 if bound else 200,
    )


def _public(response: Response | None) -> str:
    if response is None or response.published_at is None:
        return ""
    return reverse("monitor:clarification", args=[response.pk])


@never_cache
@staff_required
def response(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, story_or_404(pk))


def _need(story: Story) -> Response:
    found = Response.objects.filter(story=story).first()
    if found is None:
        raise ValidationError(_("There is no answer yet: write a draft first."))
    return found


def _bound(action: str, request: HttpRequest) -> forms.Form:
    if action == "assign":
        return AssignForm(request.POST, analysts=services_responses.assignable(), prefix="assign")
    return {"draft": DraftForm, "return": ReturnForm}[action](request.POST, prefix=action)


def _with_form(action: str, actor: User, story: Story, form: forms.Form) -> None:
    data = form.cleaned_data
    if action == "assign":
        assert isinstance(form, AssignForm)
        services_responses.story_assign(actor=actor, story=story, assignee=form.chosen())
    elif action == "draft":
        services_responses.response_save_draft(
            actor=actor, story=story, title=data["title"], body=data["body"]
        )
    else:
        services_responses.response_return(actor=actor, response=_need(story), note=data["note"])


def _without_form(action: str, actor: User, story: Story) -> None:
    if action in ("flag", "unflag"):
        services_responses.story_flag_rumor(actor=actor, story=story, flagged=action == "flag")
    elif action == "submit":
        services_responses.response_submit(actor=actor, response=_need(story))
    elif action == "approve":
        services_responses.response_approve(actor=actor, response=_need(story))
    elif action == "publish":
        services_responses.response_publish(actor=actor, response=_need(story))
    else:
        services_publish.publications_retry(actor=actor, response=_need(story))


DONE = {
    "flag": gettext_lazy("The story is flagged as a rumor."),
    "unflag": gettext_lazy("The rumor flag is removed."),
    "assign": gettext_lazy("The assignment is changed."),
    "draft": gettext_lazy("The draft is saved."),
    "return": gettext_lazy("The answer is returned to its drafter."),
    "submit": gettext_lazy("The answer is sent for approval."),
    "approve": gettext_lazy("The answer is approved. It can now be published."),
    "publish": gettext_lazy(
        "The answer is published. It is being sent to our channels and to the people who asked."
    ),
    "retry": gettext_lazy("The failed channels will be tried again."),
}


def _apply(action: str, request: HttpRequest, story: Story) -> tuple[str, forms.Form | None]:
    """Run the action; returns the confirmation, or ("", the bound form) if the form is invalid."""
    actor = staff_user(request)
    if action in FORM_ACTIONS:
        form = _bound(action, request)
        if not form.is_valid():
            return "", form
        _with_form(action, actor, story, form)
    else:
        _without_form(action, actor, story)
    return str(DONE[action]), None


@require_POST
@staff_required
def response_action(request: HttpRequest, pk: int) -> HttpResponse:
    story = story_or_404(pk)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise Http404
    try:
        done, invalid = _apply(action, request, story)
    except ValidationError as error:
        if action not in FORM_ACTIONS:
            for message in error.messages:
                messages.error(request, message)
            return redirect(f"{reverse('monitor:response', args=[pk])}#workflow")
        invalid = _bound(action, request)
        invalid.is_valid()
        add_service_errors(invalid, error)
    if invalid is not None:
        return _render(request, story_or_404(pk), {action: invalid})
    messages.success(request, done)
    return redirect(f"{reverse('monitor:response', args=[pk])}#workflow")

"""The "was this clear?" answer: recorded, then the reader goes back to the page it was given on."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tabyin.core.http import page_language
from tabyin.portal.feedback import selectors
from tabyin.portal.feedback.forms import FeedbackForm
from tabyin.portal.feedback.services import FeedbackLimitReachedError, feedback_record


@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST)
    target, raw_id = request.POST.get("target", ""), request.POST.get("target_id", "")
    target_id = int(raw_id) if raw_id.isdigit() else 0
    if target == "indicator":
        code = selectors.indicator_code(target_id)
        back = reverse("portal:indicator", args=[code]) if code else ""
    elif target == "explanation":
        thread = selectors.explanation_thread(target_id)
        back = reverse("portal:explanation", args=[thread]) if thread else ""
    else:
        back = ""
    if not back:
        return HttpResponseBadRequest(_("This page does not take answers."))
    if not form.is_valid():
        messages.error(request, _("Your answer was not recorded: the comment can be at most 500 characters."))
        return redirect(f"{back}#feedback")
    data = form.cleaned_data
    try:
        feedback_record(
            target=data["target"],
            target_id=data["target_id"],
            clear=data["clear"] == "yes",
            comment=data["comment"],
            language=page_language(),
        )
    except FeedbackLimitReachedError:
        messages.info(request, _("Many readers answered about this page in the last hour; please try later."))
    except ValidationError:
        return HttpResponseBadRequest(_("This page does not take answers."))
    else:
        messages.success(request, _("Thank you. Your answer helps us explain better."))
    return redirect(f"{back}#feedback")

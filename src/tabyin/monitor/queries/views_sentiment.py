"""The active-learning page: analysts label the posts the sentiment model is least sure of, one
click each (the form posts to ``monitor:correct`` and comes back here), and retrain the model."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tabyin.core.decorators import staff_required
from tabyin.core.http import staff_user
from tabyin.core.templatetags.persian import number
from tabyin.monitor.enums import Sentiment
from tabyin.monitor.ingest import services_classifier
from tabyin.monitor.queries import selectors_sentiment


@staff_required
def review(request: HttpRequest) -> HttpResponse:
    page = selectors_sentiment.review_page(actor=staff_user(request))
    return render(
        request,
        "monitor/staff/sentiment_review.html",
        {"page": page, "sentiments": Sentiment.choices},
    )


@staff_required
@require_POST
def retrain(request: HttpRequest) -> HttpResponse:
    model = services_classifier.classifier_retrain_from_corrections(actor=staff_user(request))
    messages.success(
        request,
        _("The model was retrained with %(n)s staff labels.") % {"n": number(model.corrections)},
    )
    return redirect("monitor:sentiment-review")

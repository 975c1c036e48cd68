"""/staff/reception/plain-language/: paste a text, see its score and the findings with fixes.

Any signed-in staff member may use it. Nothing is stored: the text goes back in the form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tabyin.core.decorators import staff_required
from tabyin.reception.plainlang import selectors
from tabyin.reception.plainlang.checker import LONG_SENTENCE_WORDS, MAX_CHARACTERS, Kind
from tabyin.reception.plainlang.forms import CheckForm
from tabyin.reception.plainlang.presentation import BAND_LABELS, KIND_ADVICE, KIND_LABELS, pieces


@staff_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    form = CheckForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {
        "form": form,
        "max_characters": MAX_CHARACTERS,
        "long_sentence_words": LONG_SENTENCE_WORDS,
    }
    if form.is_valid():
        text = form.cleaned_data["text"]
        report = selectors.check_text(text)
        context.update(
            report=report,
            band_label=BAND_LABELS[report.readability.band],
            pieces=pieces(text, report.findings),
            findings=[(n, f, KIND_LABELS[f.kind]) for n, f in enumerate(report.findings, start=1)],
            counts=[(KIND_LABELS[k], KIND_ADVICE[k], report.count(k)) for k in Kind],
        )
    return render(request, "reception/plainlang/check.html", context)

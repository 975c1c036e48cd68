"""The organizer's challenge form. It only reads what was typed (Jalali dates, Persian digits);
every rule is in ``services``, whose errors the view puts beside the fields they name."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.display.numbers import typed_number_to_ascii
from tabyin.core.jalali import parse_typed_date, to_jalali
from tabyin.core.persian_text import digits_to_persian
from tabyin.ideas.challenges.enums import ChallengeKind, Eligibility, FileGroup, MediaKind
from tabyin.ideas.challenges.models import Challenge
from tabyin.ideas.challenges.services import (
    CRITERIA_MAX,
    DATE_FIELDS,
    ChallengeData,
    Criterion,
    day_of,
)

LTR = {"dir": "ltr", "autocomplete": "off"}
DATE_HELP = _("A Jalali date, for example 1405/10/01.")
DATE_LABELS = {
    "submission_opens": _("Submissions open on"),
    "submission_closes": _("Submissions close at the end of"),
    "moderation_closes": _("Screening ends at the end of"),
    "support_closes": _("Public support ends at the end of"),
    "jury_closes": _("Jury review ends at the end of"),
    "results_at": _("Results are announced on"),
    "implementation_until": _("Ideas carried out by the end of (optional)"),
}


class JalaliDayField(forms.CharField):
    def to_python(self, value: Any) -> Any:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return parse_typed_date(text)
        except ValueError:
            raise forms.ValidationError(_("Type a Jalali date such as 1405/10/01.")) from None


def _decimal(value: str) -> Decimal | None:
    text = typed_number_to_ascii(value or "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise forms.ValidationError(_("Type a number.")) from None


class ChallengeForm(forms.Form):
    slug = forms.SlugField(
        label=_("Address name"),
        max_length=60,
        required=False,
        help_text=_("Latin letters, digits and hyphens; it becomes the page's address and cannot change."),
        widget=forms.TextInput(attrs=LTR),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem statement"), widget=forms.Textarea(attrs={"rows": 4}))
    rules = forms.CharField(label=_("Rules"), widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ChallengeKind.choices, initial=ChallengeKind.IDEA, widget=forms.RadioSelect
    )
    media_kinds = forms.MultipleChoiceField(
        label=_("Kinds of entry (content contests)"),
        choices=MediaKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    file_groups = forms.MultipleChoiceField(
        label=_("Files an entry may attach"),
        choices=FileGroup.choices,
        required=False,
        help_text=_("None chosen: photos, PDF, audio and video are all accepted."),
        widget=forms.CheckboxSelectMultiple,
    )
    eligibility = forms.ChoiceField(
        label=_("Who may take part"),
        choices=Eligibility.choices,
        initial=Eligibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    insured_only = forms.BooleanField(label=_("Supports count from insured people only"), required=False)
    categories = forms.CharField(
        label=_("Categories, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    prizes = forms.CharField(label=_("Prizes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    blind_review = forms.BooleanField(
        label=_("Blind review (jurors see neither the author's name nor their province)"),
        required=False,
        initial=True,
    )
    pairwise = forms.BooleanField(
        label=_("Jurors also compare entries in pairs (Bradley–Terry ranking, for many entries)"),
        required=False,
    )

    def __init__(self, *args: Any, challenge: Challenge | None = None, **kwargs: Any) -> None:
        if challenge is not None:
            kwargs.setdefault("initial", initial_for(challenge))
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        if challenge is not None:
            del self.fields["slug"]
        for name, _ends in DATE_FIELDS:
            self.fields[name] = JalaliDayField(
                label=DATE_LABELS[name],
                required=False,
                help_text=DATE_HELP,
                widget=forms.TextInput(attrs=LTR),
            )
        for n in range(1, CRITERIA_MAX + 1):
            self.fields[f"criterion_{n}_label"] = forms.CharField(
                label=_("Criterion %(n)s") % {"n": digits_to_persian(str(n))}, max_length=100, required=False
            )
            self.fields[f"criterion_{n}_weight"] = forms.CharField(
                label=_("Weight of criterion %(n)s (percent)") % {"n": digits_to_persian(str(n))},
                max_length=6,
                required=False,
                widget=forms.TextInput(attrs={**LTR, "inputmode": "decimal"}),
            )
            self.fields[f"criterion_{n}_max"] = forms.CharField(
                label=_("Highest score of criterion %(n)s") % {"n": digits_to_persian(str(n))},
                max_length=3,
                required=False,
                widget=forms.TextInput(attrs={**LTR, "inputmode": "numeric"}),
            )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in the sections the page shows them in (each a fieldset)."""
        dates = [name for name, _ends in DATE_FIELDS]
        rubric = [name for name in self.fields if name.startswith("criterion_")]
        basics = [name for name in self.fields if name not in dates and name not in rubric]
        return [
            (str(_("The challenge")), [self[name] for name in basics]),
            (str(_("Phase dates, in order")), [self[name] for name in dates]),
            (str(_("Jury rubric (weights add up to 100)")), [self[name] for name in rubric]),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, CRITERIA_MAX + 1):
            for part in ("weight", "max"):
                name = f"criterion_{n}_{part}"
                if name in data:
                    try:
                        value = _decimal(data[name])
                    except forms.ValidationError as error:
                        self.add_error(name, error)
                        continue
                    if part == "max" and value is not None and value != value.to_integral_value():
                        self.add_error(name, _("Type a whole number."))
                        continue
                    data[name] = value if part == "weight" or value is None else int(value)
        return data

    def challenge_data(self) -> ChallengeData:
        d = self.cleaned_data
        return ChallengeData(
            slug=d.get("slug", ""),
            title=d["title"],
            problem=d["problem"],
            rules=d["rules"],
            kind=d["kind"],
            eligibility=d["eligibility"],
            dates={name: d.get(name) for name, _ends in DATE_FIELDS},
            criteria=[
                Criterion(d[f"criterion_{n}_label"], d[f"criterion_{n}_weight"], d[f"criterion_{n}_max"])
                for n in range(1, CRITERIA_MAX + 1)
            ],
            categories=d["categories"].splitlines(),
            media_kinds=d["media_kinds"],
            file_groups=d["file_groups"],
            prizes=d["prizes"],
            blind_review=d["blind_review"],
            insured_only=d["insured_only"],
            pairwise=d["pairwise"],
        )


def _typed(day: object) -> str:
    if day is None:
        return ""
    j = to_jalali(day)  # type: ignore[arg-type]
    return digits_to_persian(f"{int(j.year)}/{int(j.month):02d}/{int(j.day):02d}")


def initial_for(challenge: Challenge) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(challenge, name)
        for name in (
            "title",
            "problem",
            "rules",
            "kind",
            "eligibility",
            "insured_only",
            "prizes",
            "blind_review",
            "pairwise",
        )
    }
    initial.update(
        media_kinds=challenge.media_kinds,
        file_groups=challenge.file_groups,
        categories="\n".join(challenge.categories),
    )
    for name, ends in DATE_FIELDS:
        initial[name] = _typed(day_of(getattr(challenge, name), ends=ends))
    for n, c in enumerate(challenge.rubric, start=1):
        initial[f"criterion_{n}_label"] = c["label"]
        percent = (Decimal(str(c["weight"])) * 100).normalize()
        initial[f"criterion_{n}_weight"] = digits_to_persian(f"{percent:f}")
        initial[f"criterion_{n}_max"] = digits_to_persian(str(c["max"]))
    return initial

"""Forms of the desk; the services check every rule again (scope, order, dates, files)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tabyin.core.display.numbers import localize_digits
from tabyin.core.http import page_language
from tabyin.core.jalali import parse_typed_date
from tabyin.core.models import OrgUnit, User
from tabyin.desk.enums import Kind
from tabyin.desk.intake import selectors

LTR_NUMERIC = {"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's recipe for several files in one field; the service checks each one's bytes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class RequestForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("On behalf of"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("What you need"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What should change once it is published; the event, the facts, the people."),
    )
    audience = forms.CharField(label=_("Audience"), max_length=300, help_text=_("Who it is for."))
    deadline = forms.CharField(
        label=_("Needed by"),
        max_length=20,
        help_text=_("Jalali date, for example ۱۴۰۵/۱۰/۲۰."),
        widget=forms.TextInput(attrs=LTR_NUMERIC),
    )
    contact = forms.CharField(
        label=_("Contact"), max_length=200, help_text=_("A name and a telephone number.")
    )
    materials = MultipleFileField(
        label=_("Materials (optional, up to five files)"),
        required=False,
        help_text=_("Photo, PDF, Word document, MP3 audio or MP4 video; kept private."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = selectors.units_of(user)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        if units.count() == 1:
            field.initial = units.first()

    def clean_deadline(self) -> date:
        try:
            return parse_typed_date(self.cleaned_data["deadline"])
        except ValueError:
            raise forms.ValidationError(_("Type a Jalali date such as ۱۴۰۵/۱۰/۲۰.")) from None


class MoveForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Message to the requester"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[p.pk for p in people]).order_by("display_name", "pk")


class DeliverForm(forms.Form):
    url = forms.URLField(
        label=_("Link to what was published"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"dir": "ltr"}),
    )
    ref = forms.CharField(
        label=_("Reference in Tabyin"),
        max_length=100,
        required=False,
        help_text=_("A campaign or a portal explanation, as its page names it."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("Files"), required=False)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}))


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well did it meet the need?"),
        coerce=int,
        choices=[],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("About the result (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rating"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(n, localize_digits(str(n), page_language())) for n in range(5, 0, -1)]

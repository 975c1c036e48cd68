"""Forms of the staff side: inbox filters, the case actions and the
identity request a handler makes from the case page.

Forms only parse what was typed (Persian or Latin digits, Jalali dates); the services decide.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tabyin.core.jalali import parse_typed_date
from tabyin.core.models import OrgUnit, User
from tabyin.reports.cases.selectors import Filters
from tabyin.reports.enums import CaseStatus
from tabyin.reports.intake import validation
from tabyin.reports.models import Category

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    assignee = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody yet"))],
    )
    overdue = forms.BooleanField(label=_("Past the deadline only"), required=False)

    def __init__(self, *args: Any, language: str = "fa", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "status").choices = [
            ("", _("All")),
            ("open", _("Open")),
            ("closed", _("Closed")),
            *CaseStatus.choices,
        ]
        _choices(self, "category").choices = [("", _("All"))] + [
            (c.code, c.name(language)) for c in Category.objects.all()
        ]

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            status=data["status"],
            category=data["category"],
            assignee=data["assignee"],
            overdue=data["overdue"],
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices)


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(self, *args: Any, handlers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handlers = {str(u.pk): u for u in handlers}
        _choices(self, "assignee").choices = [("", _("Nobody"))] + [
            (str(u.pk), f"{u.display_name or u.username} ({u.username})") for u in handlers
        ]

    def chosen(self) -> User | None:
        return self.handlers.get(self.cleaned_data["assignee"])


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"), widget=TEXTAREA, help_text=_("Only your unit reads notes.")
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each by content, size and count."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the reporter"),
        widget=TEXTAREA,
        help_text=_("The reporter reads it when they come back with their receipt code. No e-mail is sent."),
    )
    upload = MultipleFileField(label=_("Files (optional)"), required=False)

    def attachments(self, uploaded: list[UploadedFile[Any]]) -> list[validation.Attachment]:
        return [validation.Attachment(name=f.name or "file", data=f.read()) for f in uploaded]


def parse_jalali(value: str) -> datetime:
    return timezone.make_aware(datetime.combine(parse_typed_date(value), time(23, 59)))


class DeadlineForm(forms.Form):
    due = forms.CharField(
        label=_("New deadline"),
        max_length=20,
        help_text=_("Jalali date, for example 1405/09/30."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_due(self) -> datetime:
        try:
            due = parse_jalali(self.cleaned_data["due"])
        except ValueError:
            raise forms.ValidationError(_("Type a Jalali date such as 1405/09/30.")) from None
        if due < timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return due


class TransferForm(forms.Form):
    unit = forms.ChoiceField(label=_("Transfer to"))
    reason = forms.CharField(label=_("Reason for the transfer"), widget=TEXTAREA)

    def __init__(self, *args: Any, units: list[OrgUnit], language: str = "fa", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        _choices(self, "unit").choices = [("", "—")] + [(str(u.pk), u.name(language)) for u in units]

    def target(self) -> OrgUnit:
        return self.units[self.cleaned_data["unit"]]


class HoldForm(forms.Form):
    on = forms.TypedChoiceField(
        label=_("Change to"),
        coerce=lambda v: v == "on",
        choices=[("on", _("Hold: never delete while held")), ("off", _("Release the hold"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class IdentityRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does your unit need the reporter's identity?"),
        widget=TEXTAREA,
        help_text=_("A custodian reads this reason, not the report, and decides."),
    )

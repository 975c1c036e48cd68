"""The public report form as the templates render it, and the submission as the service wants it.

The rules themselves live in ``validation.py`` and run in the service; this module only lays the
fields out, keeps what was typed when the form comes back with errors, and places each message
next to its field. Nothing here decides whether a report is acceptable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from tabyin.core.enums import SPECIAL_KINDS, UnitKind
from tabyin.core.models import OrgUnit
from tabyin.reports.enums import IdentityMode, PlaceKind
from tabyin.reports.intake import validation
from tabyin.reports.models import Category

HQ = "hq"
SINGLE = ("province", "place_kind", "place_name", "when", "what", "who", "identity_mode")
IDENTITY = ("identity_name", "identity_contact")
ACCEPT = (
    ".pdf,.jpg,.jpeg,.png,.webp,.heic,.mp3,.ogg,.wav,.m4a,.mp4,.docx,"
    "application/pdf,image/*,audio/*,video/mp4,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
# Persian alphabetical order (code-point order puts پ چ ژ گ after ی).
_ALPHABET = "آاءأإبپتثجچحخدذرزژسشصضطظعغفقکكگلمنوؤهةیيئ"


def persian_key(text: str) -> list[int]:
    return [_ALPHABET.index(c) if c in _ALPHABET else 100 + ord(c) for c in text]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    help: str = ""


@dataclass
class Field:
    name: str
    label: str
    kind: str  # text, textarea, select, radio, checkboxes, file
    required: bool = False
    help: str = ""
    choices: list[Choice] = field(default_factory=list)
    value: str = ""
    values: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Shown without JavaScript under a conditional question; the script hides it when it does not apply.
    condition: str = ""
    show_if: str = ""  # "q_paid=yes" or "identity_mode=confidential|named", read by reports-form.js
    maxlength: int | None = None
    inputmode: str = ""
    placeholder: str = ""
    html_required: bool = False

    @property
    def id(self) -> str:
        return f"f-{self.name}"


@dataclass
class ReportForm:
    category: Category
    where: list[Field]
    story: list[Field]
    questions: list[Field]
    offices: list[Field]
    files: Field
    identity: list[Field]
    errors: dict[str, list[str]]
    other_errors: list[str]
    files_lost: bool

    @property
    def all_fields(self) -> list[Field]:
        return [*self.where, *self.story, *self.questions, *self.offices, self.files, *self.identity]

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(field id, message) for the summary at the top of the form."""
        found = [(f.id, m) for f in self.all_fields for m in f.errors]
        return [("form-top", m) for m in self.other_errors] + found


# --- Public reads the form needs ----------------------------------------------------------------


def active_categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True))


def category_by_code(code: str) -> Category | None:
    if not code or len(code) > 64:
        return None
    return Category.objects.filter(code=code, is_active=True).first()


def provinces(language: str) -> list[OrgUnit]:
    found = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, is_active=True)
    if language == "en":
        return sorted(found, key=lambda u: u.name_en)
    return sorted(found, key=lambda u: persian_key(u.name_fa))


def poster_offices(language: str) -> list[OrgUnit]:
    """HQ, then the provincial directorates, then branches: where the public walks in."""
    units = list(
        OrgUnit.objects.filter(
            kind__in=[UnitKind.HQ, UnitKind.PROVINCE, UnitKind.BRANCH], is_active=True
        ).select_related("province")
    )
    order = {UnitKind.HQ: 0, UnitKind.PROVINCE: 1, UnitKind.BRANCH: 2}

    def key(u: OrgUnit) -> tuple[int, list[int] | str]:
        return order[UnitKind(u.kind)], (u.name_en if language == "en" else persian_key(u.name_fa))

    return sorted(units, key=key)


def office_by_code(code: str) -> OrgUnit | None:
    if not code or len(code) > 64:
        return None
    return OrgUnit.objects.filter(code=code, is_active=True).select_related("province").first()


def office_name(unit: OrgUnit, language: str) -> str:
    if unit.kind == UnitKind.PROVINCE:
        return _("Provincial directorate of %(province)s") % {"province": unit.name(language)}
    return unit.name(language)


def office_initial(unit: OrgUnit | None, language: str) -> dict[str, str]:
    """What a poster's QR code fills in: the province, the kind of place and its name."""
    if unit is None:
        return {}
    if unit.kind == UnitKind.HQ or (unit.province is None and unit.kind in SPECIAL_KINDS):
        return {"province": HQ, "place_kind": PlaceKind.HQ}
    iso = unit.province.iso_code if unit.province is not None else ""
    if unit.kind == UnitKind.BRANCH:
        return {"province": iso, "place_kind": PlaceKind.BRANCH, "place_name": unit.name(language)}
    return {
        "province": iso,
        "place_kind": PlaceKind.PROVINCE_OFFICE,
        "place_name": office_name(unit, language),
    }


# --- Building the form --------------------------------------------------------------------------


def _question_label(question: dict[str, Any], language: str) -> str:
    return str(question.get("label_en" if language == "en" else "label_fa") or question["key"])


def _choices_of(question: dict[str, Any], language: str) -> list[Choice]:
    if question.get("type") == "yesno":
        return [Choice("yes", _("Yes")), Choice("no", _("No"))]
    return [Choice(str(c[0]), str(c[2] if language == "en" else c[1])) for c in question.get("choices", [])]


def _condition(question: dict[str, Any], by_key: dict[str, dict[str, Any]], language: str) -> str:
    parts = []
    for key, value in (question.get("show_if") or {}).items():
        other = by_key.get(key)
        if other is None:
            continue
        labels = {c.value: c.label for c in _choices_of(other, language)}
        parts.append(
            _("Answer only if your answer to “%(question)s” is “%(answer)s”.")
            % {"question": _question_label(other, language), "answer": labels.get(value, value)}
        )
    return " ".join(parts)


def _question(question: dict[str, Any], by_key: dict[str, dict[str, Any]], language: str) -> Field:
    kind = question.get("type", "text")
    show_if = "&".join(f"q_{k}={v}" for k, v in (question.get("show_if") or {}).items())
    conditional = bool(show_if)
    made = Field(
        name=f"q_{question['key']}",
        label=_question_label(question, language),
        kind="radio" if kind in ("yesno", "choice") else "text",
        required=bool(question.get("required")),
        choices=_choices_of(question, language),
        condition=_condition(question, by_key, language),
        show_if=show_if,
        html_required=bool(question.get("required")) and not conditional,
    )
    if kind == "number":
        made.inputmode = "decimal"
        made.help = _("Numbers only; Persian or Latin digits.")
    elif kind == "date":
        made.placeholder = "۱۴۰۵/۰۸/۲۰"
        made.help = _("A Jalali date: year/month/day.")
    elif kind == "text":
        made.maxlength = validation.SHORT_MAX
    return made


def _office_choices() -> list[Choice]:
    return [Choice(kind.value, str(kind.label)) for kind in SPECIAL_KINDS]


def _where(language: str) -> list[Field]:
    province_choices = [Choice(HQ, _("Headquarters (national)"))] + [
        Choice(u.iso_code, u.name(language)) for u in provinces(language)
    ]
    return [
        Field("province", _("Province"), "select", True, choices=province_choices, html_required=True),
        Field(
            "place_kind",
            _("Kind of place"),
            "radio",
            True,
            choices=[Choice(value, str(label)) for value, label in PlaceKind.choices],
            html_required=True,
        ),
        Field(
            "place_name",
            _("Name of the place"),
            "text",
            help=_("For a branch or a hospital, its name or number, for example «شعبهٔ ۱۲ تهران»."),
            maxlength=validation.SHORT_MAX,
        ),
    ]


def _story() -> list[Field]:
    return [
        Field(
            "when",
            _("When did it happen?"),
            "text",
            help=_("A date or a rough time, for example «۲۰ آبان ۱۴۰۵» or «early autumn»."),
            maxlength=validation.SHORT_MAX,
        ),
        Field(
            "what",
            _("What happened?"),
            "textarea",
            True,
            help=_(
                "Say what was done, by whom (name, title or post, if you know it), and what you saw or "
                "heard yourself. At least %(n)d characters."
            )
            % {"n": validation.WHAT_MIN},
            maxlength=validation.WHAT_MAX,
            html_required=True,
        ),
        Field(
            "who",
            _("Who did it? (optional)"),
            "textarea",
            help=_("Names, titles or posts of the people involved, if you know them."),
            maxlength=validation.WHO_MAX,
        ),
    ]


def _offices() -> list[Field]:
    return [
        Field(
            "concerns",
            _("Do the people you are reporting work in one of these offices? (optional)"),
            "checkboxes",
            help=_("So that your report does not go to their own office."),
            choices=_office_choices(),
        ),
        Field(
            "excluded",
            _("Do not send my report to (optional)"),
            "checkboxes",
            help=_("If you do not trust one of these offices with this report. At least one must remain."),
            choices=_office_choices(),
        ),
    ]


def _files() -> Field:
    mb = settings.TABYIN_REPORTS_FILE_MAX_BYTES // (1024 * 1024)
    return Field(
        "files",
        _("Evidence files (optional)"),
        "file",
        help=_(
            "Up to %(n)d files of at most %(mb)d MB each: PDF, photos, audio, video or Word. A photo "
            "can carry the place and time it was taken and the phone's model: remove this information "
            "(the metadata) first if it could show who you are."
        )
        % {"n": settings.TABYIN_REPORTS_MAX_FILES, "mb": mb},
    )


def _identity(confidential_available: bool) -> list[Field]:
    modes = [
        Choice(
            IdentityMode.ANONYMOUS,
            _("Anonymous"),
            _("Nobody learns who you are. With your receipt code you can still read answers and reply."),
        )
    ]
    if confidential_available:
        modes.append(
            Choice(
                IdentityMode.CONFIDENTIAL,
                _("Confidential"),
                _(
                    "Your name and contact are sealed. The office handling your report sees them only if an "
                    "identity custodian approves its request; every request is recorded."
                ),
            )
        )
    modes.append(
        Choice(
            IdentityMode.NAMED,
            _("With my name"),
            _("The office handling your report sees your name and how to reach you."),
        )
    )
    needs_name = "identity_mode=confidential|named"
    return [
        Field(
            "identity_mode",
            _("How do you want to be known?"),
            "radio",
            True,
            choices=modes,
            html_required=True,
        ),
        Field(
            "identity_name",
            _("Your name"),
            "text",
            condition=_("Only if you chose confidential or with my name."),
            show_if=needs_name,
            maxlength=validation.NAME_MAX,
        ),
        Field(
            "identity_contact",
            _("Phone number or e-mail (optional)"),
            "text",
            condition=_("Only if you chose confidential or with my name."),
            show_if=needs_name,
            maxlength=validation.NAME_MAX,
        ),
    ]


def report_form(
    *,
    category: Category,
    language: str,
    confidential_available: bool,
    data: QueryDict | dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    initial: dict[str, str] | None = None,
    files_sent: bool = False,
) -> ReportForm:
    questions = list(category.questions)
    by_key = {q["key"]: q for q in questions}
    form = ReportForm(
        category=category,
        where=_where(language),
        story=_story(),
        questions=[_question(q, by_key, language) for q in questions],
        offices=_offices(),
        files=_files(),
        identity=_identity(confidential_available),
        errors=dict(errors or {}),
        other_errors=[],
        files_lost=False,
    )
    values: Any = data if data is not None else (initial or {"identity_mode": IdentityMode.ANONYMOUS})
    for f in form.all_fields:
        if f.kind == "checkboxes":
            f.values = list(values.getlist(f.name)) if isinstance(values, QueryDict) else []
        elif f.kind != "file":
            f.value = str(values.get(f.name, ""))
        f.errors = list(form.errors.get(f.name, []))
    known = {f.name for f in form.all_fields}
    form.other_errors = [m for name, ms in form.errors.items() if name not in known for m in ms]
    # Browsers cannot be given files back: say so only when some were chosen.
    form.files_lost = files_sent and bool(errors)
    return form


def submission(
    post: QueryDict, files: MultiValueDict[str, Any], questions: list[dict[str, Any]]
) -> tuple[dict[str, str], dict[str, list[str]], list[validation.Attachment]]:
    """The form's fields as ``services_intake.report_submit`` takes them."""
    names = [*SINGLE, *IDENTITY, *(f"q_{q['key']}" for q in questions)]
    data = {name: str(post.get(name, "")) for name in names}
    lists = {"concerns": post.getlist("concerns"), "excluded": post.getlist("excluded")}
    return data, lists, attachments(files)


def attachments(files: MultiValueDict[str, Any]) -> list[validation.Attachment]:
    return [validation.Attachment(name=f.name or "", data=f.read()) for f in files.getlist("files")]

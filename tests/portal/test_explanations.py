"""The explanation workflow: draft → review → publish, versions, four eyes, scope and audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tabyin.core.enums import AuditAction, Role
from tabyin.core.models import AuditEntry, User
from tabyin.portal.enums import ExplanationKind, ExplanationState
from tabyin.portal.explanations import services as services_explanation
from tabyin.portal.explanations.services import (
    ExplanationError,
    explanation_approve,
    explanation_draft,
    explanation_return,
    explanation_revise,
    explanation_submit,
    paragraphs,
)
from tabyin.portal.models import Explanation, Indicator
from tabyin.portal.public import selectors
from tabyin.portal.search import selectors as search
from tabyin.portal.staff import selectors as staff
from tests import factories
from tests.portal.factories import install_catalog

# Typed on an Arabic keyboard (ي, ك), with stray spaces, a CRLF and a ZWNJ at a line end.
BODY_TYPED = (
    "  سهم خدمات غيرحضوري  بيشتر شد.\r\n\r\n\r\n دليل آن برنامهٔ «تأمين من» است\u200c \n و سامانهٔ جديد. "
)
# normalize() drops the hamza above (ٔ) with the other diacritics.
BODY_CLEAN = "سهم خدمات غیرحضوری بیشتر شد.\n\nدلیل آن برنامه «تأمین من» است و سامانه جدید."
TITLE_CLEAN = "بیشتر درخواست‌ها غیرحضوری است"


@pytest.fixture
def catalog(org: None) -> None:
    install_catalog()


@pytest.fixture
def manager(org: None) -> User:
    return factories.persona("hq.manager", "hq", Role.SENIOR_MANAGER)


def _indicator(code: str = "online-share") -> Indicator:
    return Indicator.objects.get(code=code)


def _draft(actor: User, **extra: Any) -> Explanation:
    fields: dict[str, Any] = {
        "indicator": _indicator(),
        "kind": ExplanationKind.STRENGTH,
        "title_fa": "بيشتر درخواست‌ها غيرحضوري است",
        "body_fa": BODY_TYPED,
    }
    return explanation_draft(actor=actor, **(fields | extra))


def _audit() -> list[tuple[str, str, str, dict[str, Any], dict[str, Any]]]:
    rows = AuditEntry.objects.filter(object_type="portal.explanation").order_by("id")
    return [(e.actor_username, e.action, e.object_id, e.before, e.after) for e in rows]


def test_paragraphs_are_kept_and_each_is_normalized() -> None:
    assert paragraphs(BODY_TYPED) == BODY_CLEAN
    assert paragraphs("\u200f\n \n") == ""
    assert paragraphs("یک\nدو") == "یک دو"  # a single line break is not a paragraph


def test_analyst_drafts_manager_approves_and_the_public_can_find_it(
    catalog: None,
    hq_analyst: User,
    manager: User,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bumps: list[str] = []
    monkeypatch.setattr(services_explanation, "data_version_bump", lambda: bumps.append("bump"))
    draft = _draft(
        hq_analyst,
        action_fa="ادامهٔ گسترش",
        evidence=[{"title": " گزارش  سالانه ", "url": " https://example.org/report.pdf "}],
        title_en="Most requests are online",
    )

    assert (draft.thread, draft.version, draft.state) == (1, 1, ExplanationState.DRAFT)
    assert (draft.title_fa, draft.body_fa, draft.area, draft.period) == (TITLE_CLEAN, BODY_CLEAN, "", "")
    assert draft.evidence == [{"title": "گزارش سالانه", "url": "https://example.org/report.pdf"}]
    assert draft.author == hq_analyst and draft.search_text == ""

    explanation_submit(actor=hq_analyst, explanation=draft)
    assert draft.state == ExplanationState.IN_REVIEW and draft.submitted_at is not None
    assert selectors.public_explanations(indicator=_indicator()) == []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        explanation_approve(actor=manager, explanation=draft, note="خوب است")
        assert bumps == []  # public caches move on only after the commit

    assert (len(callbacks), bumps) == (1, ["bump"])

    draft.refresh_from_db()
    assert draft.state == ExplanationState.PUBLISHED
    assert (draft.reviewer, draft.review_note) == (manager, "خوب است")
    assert draft.published_at is not None
    assert draft.search_text == (
        "بیشتردرخواستهاغیرحضوریاست "
        "سهمخدماتغیرحضوریبیشترشد.دلیلانبرنامه«تامینمن»استوسامانهجدید. "
        "ادامهگسترش most requests are online"
    )
    assert selectors.public_explanations(indicator=_indicator()) == [draft]
    found = search.search("غير حضوري").hits  # other spelling, other spacing
    assert [h.doc.key for h in found if h.doc.kind == "explanation"] == [str(draft.thread)]


def test_every_transition_is_audited_with_before_and_after(
    catalog: None, hq_analyst: User, manager: User
) -> None:
    draft = _draft(hq_analyst)
    explanation_submit(actor=hq_analyst, explanation=draft)
    explanation_return(actor=manager, explanation=draft, note="عدد را با منبع بیاورید")
    explanation_revise(actor=hq_analyst, explanation=draft, body_fa="متن تازه")
    explanation_submit(actor=hq_analyst, explanation=draft)
    explanation_approve(actor=manager, explanation=draft)

    pk = str(draft.pk)
    created = {
        "thread": 1, "version": 1, "indicator": "online-share", "area": "", "period": "",
        "kind": "strength", "state": "draft", "title_fa": TITLE_CLEAN, "body_fa": BODY_CLEAN,
        "action_fa": "", "title_en": "", "body_en": "", "action_en": "", "evidence": [],
        "author": "hq.analyst", "reviewer": "", "review_note": "",
    }  # fmt: skip
    assert _audit() == [
        ("hq.analyst", AuditAction.CREATE, pk, {}, created),
        ("hq.analyst", AuditAction.UPDATE, pk, {"state": "draft"}, {"state": "in_review"}),
        (
            "hq.manager", AuditAction.UPDATE, pk,
            {"state": "in_review", "reviewer": "", "review_note": ""},
            {"state": "returned", "reviewer": "hq.manager", "review_note": "عدد را با منبع بیاورید"},
        ),
        ("hq.analyst", AuditAction.UPDATE, pk, {"body_fa": BODY_CLEAN}, {"body_fa": "متن تازه"}),
        ("hq.analyst", AuditAction.UPDATE, pk, {"state": "returned"}, {"state": "in_review"}),
        (
            "hq.manager", AuditAction.UPDATE, pk,
            {"state": "in_review", "review_note": "عدد را با منبع بیاورید"},
            {"state": "published", "review_note": ""},
        ),
    ]  # fmt: skip


def test_four_eyes_the_author_cannot_approve_their_own_text(catalog: None, hq_analyst: User) -> None:
    draft = _draft(hq_analyst)
    explanation_submit(actor=hq_analyst, explanation=draft)
    entries = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied, match="four eyes"):
        explanation_approve(actor=hq_analyst, explanation=draft)

    draft.refresh_from_db()
    assert draft.state == ExplanationState.IN_REVIEW and draft.reviewer is None
    assert AuditEntry.objects.count() == entries
    other = factories.persona("hq.analyst2", "hq", Role.ANALYST)
    assert explanation_approve(actor=other, explanation=draft).state == ExplanationState.PUBLISHED


def test_editing_takes_over_authorship_so_the_editor_cannot_approve(catalog: None, hq_analyst: User) -> None:
    other = factories.persona("hq.analyst2", "hq", Role.ANALYST)
    draft = _draft(hq_analyst)
    explanation_revise(actor=other, explanation=draft, title_fa="عنوان دیگر")
    explanation_submit(actor=other, explanation=draft)

    with pytest.raises(PermissionDenied):
        explanation_approve(actor=other, explanation=draft)
    assert explanation_approve(actor=hq_analyst, explanation=draft).reviewer == hq_analyst


def test_a_new_version_supersedes_the_old_one_which_stays_readable(
    catalog: None, hq_analyst: User, manager: User
) -> None:
    v1 = _draft(hq_analyst)
    explanation_submit(actor=hq_analyst, explanation=v1)
    explanation_approve(actor=manager, explanation=v1)

    v2 = explanation_revise(actor=hq_analyst, explanation=v1, body_fa="نسخه دوم", kind="caveat")

    assert (v2.thread, v2.version, v2.state, v2.pk != v1.pk) == (1, 2, ExplanationState.DRAFT, True)
    assert (v2.title_fa, v2.body_fa, v2.kind, v2.indicator) == (
        TITLE_CLEAN,
        "نسخه دوم",
        "caveat",
        v1.indicator,
    )
    v1.refresh_from_db()
    assert v1.state == ExplanationState.PUBLISHED  # still public while v2 is written
    assert selectors.public_explanations(indicator=_indicator()) == [v1]
    with pytest.raises(ExplanationError) as refused:
        explanation_revise(actor=hq_analyst, explanation=v1, body_fa="سومی")
    assert refused.value.code == "open-version"

    explanation_submit(actor=hq_analyst, explanation=v2)
    explanation_approve(actor=manager, explanation=v2)

    v1.refresh_from_db()
    assert (v1.state, v2.state) == (ExplanationState.SUPERSEDED, ExplanationState.PUBLISHED)
    assert selectors.public_explanations(indicator=_indicator()) == [v2]
    assert selectors.explanation_versions(1) == [v2, v1]
    assert _audit()[-2:] == [
        ("hq.manager", AuditAction.UPDATE, str(v1.pk), {"state": "published"}, {"state": "superseded"}),
        ("hq.manager", AuditAction.UPDATE, str(v2.pk), {"state": "in_review", "reviewer": ""},
         {"state": "published", "reviewer": "hq.manager"}),
    ]  # fmt: skip


def test_what_a_published_explanation_is_about_does_not_change(
    catalog: None, hq_analyst: User, manager: User
) -> None:
    v1 = _draft(hq_analyst, area="IR-23")
    explanation_submit(actor=hq_analyst, explanation=v1)
    explanation_approve(actor=manager, explanation=v1)

    with pytest.raises(ExplanationError) as refused:
        explanation_revise(actor=hq_analyst, explanation=v1, area="IR-11")
    assert refused.value.code == "attachment"
    v2 = explanation_revise(actor=hq_analyst, explanation=v1, area="ir-23", title_fa="تازه")
    assert (v2.version, v2.area, v2.title_fa) == (2, "IR-23", "تازه")


def test_a_version_in_review_or_superseded_is_not_edited(catalog: None, hq_analyst: User) -> None:
    draft = _draft(hq_analyst)
    explanation_submit(actor=hq_analyst, explanation=draft)

    with pytest.raises(ExplanationError) as refused:
        explanation_revise(actor=hq_analyst, explanation=draft, body_fa="دیگر")
    assert refused.value.code == "state"
    with pytest.raises(ExplanationError):
        explanation_submit(actor=hq_analyst, explanation=draft)


def test_return_needs_a_note_and_goes_back_to_the_author(
    catalog: None, hq_analyst: User, manager: User
) -> None:
    draft = _draft(hq_analyst)
    explanation_submit(actor=hq_analyst, explanation=draft)

    with pytest.raises(ExplanationError) as refused:
        explanation_return(actor=manager, explanation=draft, note=" \u200c ")
    assert (refused.value.code, refused.value.field) == ("note", "note")

    explanation_return(actor=manager, explanation=draft, note="منبع؟")
    assert (draft.state, draft.review_note, draft.reviewer) == (ExplanationState.RETURNED, "منبع؟", manager)
    same = explanation_revise(actor=hq_analyst, explanation=draft, body_fa="با منبع")
    assert (same.pk, same.version, same.state, same.body_fa) == (draft.pk, 1, "returned", "با منبع")


def test_provincial_officer_writes_only_for_their_own_province(catalog: None, tehran_officer: User) -> None:
    for area in ("", "IR", "IR-11"):
        with pytest.raises(PermissionDenied):
            _draft(tehran_officer, area=area)

    own = _draft(tehran_officer, area="IR-23")

    assert (own.area, own.author) == ("IR-23", tehran_officer)
    with pytest.raises(PermissionDenied):
        explanation_revise(actor=tehran_officer, explanation=own, area="IR-11")
    assert Explanation.objects.count() == 1


def test_provincial_staff_list_shows_their_province_only(
    catalog: None, hq_analyst: User, tehran_officer: User
) -> None:
    national = _draft(hq_analyst)
    sistan = _draft(hq_analyst, area="IR-11")
    tehran = _draft(hq_analyst, area="IR-23")
    own = _draft(tehran_officer, area="IR-23")

    assert list(staff.explanations_for_staff(actor=tehran_officer)) == [own, tehran]
    assert list(staff.explanations_for_staff(actor=hq_analyst)) == [own, tehran, sistan, national]
    assert staff.explanation_state_counts(actor=tehran_officer)["draft"] == 2


def test_who_may_write_and_review(catalog: None, hq_analyst: User, manager: User) -> None:
    publisher = factories.persona("hq.publisher", "hq", Role.DATA_PUBLISHER)
    admin = factories.persona("hq.admin", "hq", Role.ADMINISTRATOR)

    with pytest.raises(PermissionDenied):
        _draft(manager)
    with pytest.raises(PermissionDenied):
        _draft(admin)
    draft = _draft(publisher)
    explanation_submit(actor=publisher, explanation=draft)
    with pytest.raises(PermissionDenied):
        explanation_approve(actor=admin, explanation=draft)
    with pytest.raises(PermissionDenied):
        explanation_approve(actor=publisher, explanation=draft)
    assert explanation_approve(actor=hq_analyst, explanation=draft).reviewer == hq_analyst


@pytest.mark.parametrize(
    ("evidence", "field"),
    [
        ([{"title": "x", "url": "javascript:alert(1)"}], "evidence"),
        ([{"title": "x", "url": "ftp://example.org/a"}], "evidence"),
        ([{"title": " ", "url": "https://example.org"}], "evidence"),
        ([{"title": "x", "url": "https://example.org", "extra": "y"}], "evidence"),
        ([{"title": "x"}], "evidence"),
        (["https://example.org"], "evidence"),
    ],
)
def test_evidence_must_be_titled_http_links(
    catalog: None, hq_analyst: User, evidence: list[Any], field: str
) -> None:
    with pytest.raises(ExplanationError) as refused:
        _draft(hq_analyst, evidence=evidence)
    assert refused.value.field == field
    assert Explanation.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"title_fa": " \u200f "}, "required"),
        ({"body_fa": "\n\n"}, "required"),
        ({"kind": "praise"}, "kind"),
        ({"area": "IR-99"}, "area"),
        ({"period": "1403-13"}, "period"),
    ],
)
def test_invalid_fields_are_refused(
    catalog: None, hq_analyst: User, changes: dict[str, str], code: str
) -> None:
    with pytest.raises(ExplanationError) as refused:
        _draft(hq_analyst, **changes)
    assert refused.value.code == code


def test_period_typed_in_persian_digits_is_stored_in_ascii(catalog: None, hq_analyst: User) -> None:
    assert _draft(hq_analyst, period="۱۴۰۳-۱۱").period == "1403-11"


def test_threads_are_numbered_one_after_another(catalog: None, hq_analyst: User) -> None:
    assert [_draft(hq_analyst).thread for _ in range(3)] == [1, 2, 3]

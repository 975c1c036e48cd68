"""The release pipeline on the database: upload, publish, corrections, suppression, permissions."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import connection

from tabyin.core.enums import AuditAction, Role
from tabyin.core.jalali import period_bounds
from tabyin.core.models import AuditEntry, User
from tabyin.core.scoping import Scope
from tabyin.portal import permissions
from tabyin.portal.enums import FigureStatus, ReleaseState
from tabyin.portal.models import Dataset, Observation, Release, Revision
from tabyin.portal.release.services import (
    DATA_VERSION_KEY,
    ReleaseError,
    release_publish,
    release_upload,
    release_withdraw,
)
from tests import factories
from tests.portal.factories import install_catalog, observe

OUTPATIENT = "outpatient-services-per-day"
PROVINCES = tuple(f"IR-{i:02d}" for i in range(31))
Row = tuple[str, str, str, str | int]


@pytest.fixture
def catalog(org: None) -> None:
    install_catalog()


@pytest.fixture
def publisher(org: None) -> User:
    return factories.persona("hq.publisher", "hq", Role.DATA_PUBLISHER)


def dataset(slug: str = "services") -> Dataset:
    return Dataset.objects.get(slug=slug)


def csv(rows: Iterable[Row], header: str = "indicator,area,period,value") -> bytes:
    return (header + "\n" + "".join(f"{i},{a},{p},{v}\n" for i, a, p, v in rows)).encode()


def upload(
    actor: User | None, rows: Iterable[Row], *, status: str = "final", slug: str = "services", **kwargs: Any
) -> Release:
    return release_upload(actor=actor, dataset=dataset(slug), file_name="figures.csv", content=csv(rows),
                          status=FigureStatus(status), **kwargs)  # fmt: skip


def publish(actor: User | None, rows: Iterable[Row], **kwargs: Any) -> Release:
    release = upload(actor, rows, **kwargs)
    assert release.state == ReleaseState.VALIDATED, release.report
    return release_publish(actor=actor, release=release)


def figures(indicator: str = OUTPATIENT) -> dict[tuple[str, str], tuple[Any, ...]]:
    return {
        (o.area, o.period): (o.value, o.status, o.suppressed, o.change_prev, o.change_yoy)
        for o in Observation.objects.filter(indicator__code=indicator)
    }


# --- Upload ------------------------------------------------------------------------------------------


def test_a_rejected_upload_keeps_the_file_and_changes_no_figure(catalog: None, publisher: User) -> None:
    observe(OUTPATIENT, "IR-23", "1404-04", 150)
    content = csv([(OUTPATIENT, "IR-23", "1404-04", 999), (OUTPATIENT, "IR-99", "1404-04", 1)])

    release = release_upload(actor=publisher, dataset=dataset(), file_name="C:\\data\\تیر.csv",
                             content=content, status=FigureStatus.FINAL)  # fmt: skip

    assert (release.state, release.number, release.row_count) == (ReleaseState.REJECTED, 2, 1)
    with release.upload.open("rb") as stored:
        assert stored.read() == content
    assert release.upload_name == "تیر.csv"
    assert release.upload_sha256 == hashlib.sha256(content).hexdigest()
    assert release.report == {
        "errors": [{
            "row": 3, "column": "area", "code": "unknown_area",
            "fa": "کد منطقهٔ «IR-99» شناخته نیست؛ IR برای کل کشور یا IR-00 … IR-30 برای استان‌ها.",
            "en": "unknown area code 'IR-99': use IR for the country or IR-00 … IR-30 for a province",
        }],
        "warnings": [],
        "rows": 1,
        "periods": ["1404-04"],
    }  # fmt: skip
    assert figures() == {("IR-23", "1404-04"): (Decimal("150"), "final", False, None, None)}
    entry = AuditEntry.objects.get(object_type="portal.release", object_id=str(release.pk))
    assert (entry.action, entry.actor, entry.after) == (
        AuditAction.CREATE, publisher, {"dataset": "services", "number": 2, "state": "rejected", "rows": 1}
    )  # fmt: skip


def test_upload_checks_the_dataset_national_only_and_a_correction_reason(
    catalog: None, publisher: User
) -> None:
    other = upload(publisher, [("covered-people", "IR", "1404-04", 5)])
    national = upload(publisher, [("government-debt", "IR-23", "1404-04", 5)], slug="finances")
    no_reason = upload(publisher, [(OUTPATIENT, "IR", "1404-04", 5)], is_correction=True, reason="  ")

    assert [e["code"] for e in other.report["errors"]] == ["other_dataset"]
    assert [e["code"] for e in national.report["errors"]] == ["national_only"]
    assert no_reason.report["errors"] == [
        {"row": None, "column": None, "code": "reason_required", "fa": "برای اصلاحیه نوشتن دلیل لازم است.",
         "en": "a correction needs a reason"}
    ]  # fmt: skip
    assert [r.state for r in (other, national, no_reason)] == [ReleaseState.REJECTED] * 3
    assert [r.number for r in (other, no_reason)] == [1, 2]  # numbers count per dataset


def test_upload_warns_about_an_outlier_against_published_history(catalog: None, publisher: User) -> None:
    for month in range(1, 7):
        observe(OUTPATIENT, "IR-23", f"1404-{month:02d}", 100 + month)

    release = upload(publisher, [(OUTPATIENT, "IR-23", "1404-07", 1000)])

    assert release.state == ReleaseState.VALIDATED
    assert release.report["warnings"] == [
        {"row": 2, "column": "value", "code": "outlier",
         "fa": "این مقدار را بررسی کنید: 1000 بیش از 50 درصد با میانهٔ ماه‌های اخیر (103.5) فاصله دارد.",
         "en": "check this value: 1000 is more than 50 % away from the recent median (103.5)"}
    ]  # fmt: skip


# --- Publish -----------------------------------------------------------------------------------------


def test_publish_writes_exact_figures_and_changes(
    catalog: None, publisher: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    caches["shared"].set(DATA_VERSION_KEY, 41, timeout=None)
    rows: list[Row] = [
        (OUTPATIENT, "IR-23", "1403-05", 100), (OUTPATIENT, "IR-23", "1404-04", 200),
        (OUTPATIENT, "IR-23", "1404-05", "210.5"), (OUTPATIENT, "IR", "1404-05", 1000),
    ]  # fmt: skip
    release = upload(publisher, rows, status=FigureStatus.PROVISIONAL)

    with django_capture_on_commit_callbacks(execute=True):
        published = release_publish(actor=publisher, release=release)

    assert (published.state, published.published_by, published.period_first, published.period_last) == (
        ReleaseState.PUBLISHED, publisher, "1403-05", "1404-05"
    )  # fmt: skip
    assert published.published_at is not None
    assert figures() == {
        ("IR-23", "1403-05"): (Decimal("100"), "provisional", False, None, None),
        ("IR-23", "1404-04"): (Decimal("200"), "provisional", False, None, None),
        ("IR-23", "1404-05"): (Decimal("210.5"), "provisional", False, Decimal("0.0525"), Decimal("1.105")),
        ("IR", "1404-05"): (Decimal("1000"), "provisional", False, None, None),
    }
    obs = Observation.objects.get(indicator__code=OUTPATIENT, area="IR-23", period="1404-05")
    assert (obs.period_start, obs.release_id) == (period_bounds("1404-05")[0], release.pk)
    assert caches["shared"].get(DATA_VERSION_KEY) == 42
    entry = AuditEntry.objects.filter(object_id=str(release.pk), action=AuditAction.UPDATE).get()
    assert (entry.before, entry.after) == (
        {"state": "validated"}, {"state": "published", "observations": 4, "revisions": 0}
    )  # fmt: skip


def test_the_data_version_is_created_when_missing(
    catalog: None, publisher: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    caches["shared"].delete(DATA_VERSION_KEY)

    with django_capture_on_commit_callbacks(execute=True):
        publish(publisher, [(OUTPATIENT, "IR", "1404-05", 1000)])

    assert isinstance(caches["shared"].get(DATA_VERSION_KEY), int)


def test_only_a_validated_release_can_be_published(catalog: None, publisher: User) -> None:
    rejected = upload(publisher, [(OUTPATIENT, "nowhere", "1404-05", 1)])

    with pytest.raises(ReleaseError) as refused:
        release_publish(actor=publisher, release=rejected)

    assert refused.value.en == "release 1 is rejected; this cannot be done in that state"
    assert Observation.objects.count() == 0


def test_publish_uses_the_stored_file_and_refuses_one_that_changed(catalog: None, publisher: User) -> None:
    release = upload(publisher, [(OUTPATIENT, "IR", "1404-05", 1000)])
    Path(release.upload.path).write_bytes(csv([(OUTPATIENT, "IR", "1404-05", 5)]))

    with pytest.raises(ReleaseError) as refused:
        release_publish(actor=publisher, release=release)

    assert refused.value.en == "the stored file differs from the one uploaded; upload it again"
    assert Observation.objects.count() == 0
    release.refresh_from_db()
    assert release.state == ReleaseState.VALIDATED


def test_small_province_counts_are_suppressed_but_the_nation_never(catalog: None, publisher: User) -> None:
    publish(publisher, [(OUTPATIENT, "IR-23", "1404-05", 7), (OUTPATIENT, "IR-24", "1404-05", 10),
                        (OUTPATIENT, "IR", "1404-05", 7)])  # fmt: skip

    rows = Observation.objects.filter(indicator__code=OUTPATIENT).order_by("area")
    assert [(o.area, o.value, o.numerator, o.denominator, o.suppressed) for o in rows] == [
        ("IR", Decimal("7"), None, None, False),
        ("IR-23", None, None, None, True),
        ("IR-24", Decimal("10"), None, None, False),
    ]


def test_a_rate_keeps_its_parts_and_an_empty_value_is_computed(catalog: None, publisher: User) -> None:
    header = "indicator,area,period,value,numerator,denominator"
    content = (header + "\nbed-occupancy,IR-23,1404-05,,791,1000\n").encode()
    release = release_upload(
        actor=publisher, dataset=dataset(), file_name="rates.csv", status=FigureStatus.FINAL, content=content
    )
    release_publish(actor=publisher, release=release)

    obs = Observation.objects.get(indicator__code="bed-occupancy")
    assert (obs.value, obs.numerator, obs.denominator) == (Decimal("79.1"), Decimal("791"), Decimal("1000"))


# --- Revisions ---------------------------------------------------------------------------------------


def test_a_final_figure_changes_only_through_a_correction_with_a_reason(
    catalog: None, publisher: User
) -> None:
    publish(publisher, [(OUTPATIENT, "IR-23", "1404-04", 200), (OUTPATIENT, "IR-23", "1404-05", 220)])
    plain = upload(publisher, [(OUTPATIENT, "IR-23", "1404-04", 210)])

    with pytest.raises(ReleaseError) as refused:
        release_publish(actor=publisher, release=plain)

    assert refused.value.en == (
        "1 final figures would change (outpatient-services-per-day IR-23 1404-04…); "
        "only a correction with a reason may change them"
    )
    assert Revision.objects.count() == 0
    assert figures()[("IR-23", "1404-04")][0] == Decimal("200")

    correction = publish(publisher, [(OUTPATIENT, "IR-23", "1404-04", 210)], is_correction=True,
                         reason="خطای ورود داده در استان تهران")  # fmt: skip

    revision = Revision.objects.get()
    assert (revision.observation.period, revision.release, revision.old_value, revision.new_value) == (
        "1404-04", correction, Decimal("200"), Decimal("210")
    )  # fmt: skip
    assert (revision.old_status, revision.new_status, revision.reason) == (
        "final", "final", "خطای ورود داده در استان تهران"
    )  # fmt: skip
    # The next month's change follows the corrected base: 220 / 210 - 1.
    assert figures()[("IR-23", "1404-05")][3] == Decimal("0.0476")


def test_provisional_figures_become_final_with_the_standard_reason(catalog: None, publisher: User) -> None:
    publish(publisher, [(OUTPATIENT, "IR-23", "1404-04", 200), (OUTPATIENT, "IR-23", "1404-05", 220)],
            status=FigureStatus.PROVISIONAL)  # fmt: skip

    publish(publisher, [(OUTPATIENT, "IR-23", "1404-04", 200), (OUTPATIENT, "IR-23", "1404-05", 230)])

    assert [(r.observation.period, r.old_value, r.new_value, r.old_status, r.new_status, r.reason)
            for r in Revision.objects.order_by("observation__period")] == [
        ("1404-04", Decimal("200"), Decimal("200"), "provisional", "final", "جایگزینی رقم موقت با رقم قطعی"),
        ("1404-05", Decimal("220"), Decimal("230"), "provisional", "final", "جایگزینی رقم موقت با رقم قطعی"),
    ]  # fmt: skip
    assert figures()[("IR-23", "1404-05")][:2] == (Decimal("230"), "final")


def test_resending_unchanged_final_figures_in_a_provisional_release_changes_nothing(
    catalog: None, publisher: User
) -> None:
    publish(publisher, [(OUTPATIENT, "IR-23", "1404-04", 200)])
    first = Observation.objects.get()

    publish(publisher, [(OUTPATIENT, "IR-23", "1404-04", 200), (OUTPATIENT, "IR-23", "1404-05", 220)],
            status=FigureStatus.PROVISIONAL)  # fmt: skip

    again = Observation.objects.get(period="1404-04")
    assert (again.status, again.release_id, again.updated_at) == ("final", first.release_id, first.updated_at)
    assert Revision.objects.count() == 0


def test_the_upsert_fallback_gives_the_same_result(
    catalog: None, publisher: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection.features, "supports_update_conflicts_with_target", False)
    publish(publisher, [(OUTPATIENT, "IR-23", "1404-04", 200)], status=FigureStatus.PROVISIONAL)

    publish(publisher, [(OUTPATIENT, "IR-23", "1404-04", 205), (OUTPATIENT, "IR-23", "1404-05", 220)])

    assert figures() == {
        ("IR-23", "1404-04"): (Decimal("205"), "final", False, None, None),
        ("IR-23", "1404-05"): (Decimal("220"), "final", False, Decimal("0.0732"), None),
    }


# --- Withdraw ----------------------------------------------------------------------------------------


def test_withdraw_an_unpublished_release_but_not_a_published_one(catalog: None, publisher: User) -> None:
    validated = upload(publisher, [(OUTPATIENT, "IR", "1404-05", 1000)])
    published = publish(publisher, [(OUTPATIENT, "IR", "1404-04", 1000)])

    assert release_withdraw(actor=publisher, release=validated).state == ReleaseState.WITHDRAWN
    with pytest.raises(ReleaseError):
        release_withdraw(actor=publisher, release=published)
    with pytest.raises(ReleaseError):
        release_publish(actor=publisher, release=validated)


# --- Permissions -------------------------------------------------------------------------------------


def test_a_provincial_officer_and_an_administrator_may_not_publish(
    catalog: None, publisher: User, tehran_officer: User, hq_admin: User
) -> None:
    release = upload(publisher, [(OUTPATIENT, "IR", "1404-05", 1000)])

    for actor in (tehran_officer, hq_admin):
        with pytest.raises(PermissionDenied):
            upload(actor, [(OUTPATIENT, "IR", "1404-05", 1000)])
        with pytest.raises(PermissionDenied):
            release_publish(actor=actor, release=release)
        with pytest.raises(PermissionDenied):
            release_withdraw(actor=actor, release=release)
    assert Release.objects.count() == 1
    assert release_publish(actor=publisher, release=release).state == ReleaseState.PUBLISHED


def test_a_provincial_data_publisher_may_not_publish(catalog: None) -> None:
    provincial = factories.persona("tehran.publisher", "ir-23", Role.DATA_PUBLISHER)

    with pytest.raises(PermissionDenied):
        upload(provincial, [(OUTPATIENT, "IR", "1404-05", 1000)])


def scope(*roles: Role, national: bool = True, provinces: Iterable[int] = ()) -> Scope:
    return Scope(national=national, province_ids=frozenset(provinces), roles=frozenset(str(r) for r in roles))


def test_permission_predicates() -> None:
    tehran = scope(Role.PROVINCIAL_OFFICER, national=False, provinces=[7])

    assert [permissions.can_publish_data(s) for s in (scope(Role.DATA_PUBLISHER), scope(Role.ADMINISTRATOR),
            scope(Role.DATA_PUBLISHER, national=False, provinces=[7]))] == [True, False, False]  # fmt: skip
    assert [permissions.can_review_explanations(s) for s in (scope(Role.SENIOR_MANAGER), scope(Role.ANALYST),
            scope(Role.DATA_PUBLISHER), tehran)] == [True, True, False, False]  # fmt: skip
    assert [permissions.can_draft_explanations(s) for s in (scope(Role.ANALYST), scope(Role.DATA_PUBLISHER),
            tehran, scope(Role.SENIOR_MANAGER))] == [True, True, True, False]  # fmt: skip
    assert [permissions.can_draft_explanation_for(tehran, p) for p in (7, 8, None)] == [True, False, False]
    assert permissions.can_draft_explanation_for(scope(Role.ANALYST), None) is True


# --- Query counts ------------------------------------------------------------------------------------


def month_rows(indicator: str, periods: Iterable[str], base: int) -> list[Row]:
    rows: list[Row] = []
    for n, period in enumerate(periods):
        rows += [(indicator, area, period, base + n) for area in PROVINCES]
        rows.append((indicator, "IR", period, (base + n) * len(PROVINCES)))
    return rows


@pytest.mark.parametrize("months", [1, 12])
def test_publish_takes_a_fixed_number_of_queries(
    catalog: None, publisher: User, months: int, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    periods = [f"1404-{m:02d}" for m in range(1, months + 1)]
    inpatient = "inpatient-services-per-day"
    with django_assert_max_num_queries(11):  # the scope, then the history of published figures in one read
        first = upload(publisher, month_rows(OUTPATIENT, periods, 100) + month_rows(inpatient, periods, 50),
                       status=FigureStatus.PROVISIONAL)  # fmt: skip
    second = upload(publisher, month_rows(OUTPATIENT, periods, 120) + month_rows(inpatient, periods, 60))

    # Reads: indicators, provinces, the release, existing figures, the series; writes: one upsert,
    # one update of the changes, the release, the audit entry; plus the savepoint pair.
    with django_assert_max_num_queries(11):
        release_publish(actor=publisher, release=first)
    with django_assert_max_num_queries(12):  # the same plus the revisions' insert
        release_publish(actor=publisher, release=second)

    assert Observation.objects.count() == 2 * 32 * months
    assert Revision.objects.count() == 2 * 32 * months

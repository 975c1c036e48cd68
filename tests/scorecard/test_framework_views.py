"""The framework's staff pages: who sees and edits what, the tree, the edit form, new versions."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from tabyin.core.enums import Role
from tabyin.core.models import User
from tabyin.scorecard.enums import FrameworkState
from tabyin.scorecard.framework import services
from tabyin.scorecard.models import Framework, Indicator
from tests import factories

FROZEN = "This framework version is frozen: a period uses it. Make a new version to change it."


@pytest.fixture
def installed(db: Any) -> Framework:
    framework, _created = services.framework_install_default()
    return framework


@pytest.fixture
def hq_evaluator(org: None) -> User:
    return factories.persona("hq.evaluator", "hq", Role.EVALUATOR)


def url(name: str, *args: Any) -> str:
    """English pages, so assertions read the msgids whatever the Persian catalogue says."""
    with translation.override("en"):
        return reverse(f"scorecard:{name}", args=args)


def _row(framework: Framework, code: str) -> Indicator:
    return Indicator.objects.get(framework=framework, code=code)


def _texts(html: str, testid: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}"[^>]*data-code="([^"]+)"', html)


def test_list_shows_versions_with_state_and_size(
    installed: Framework, hq_admin: User, staff_client: Any
) -> None:
    response = staff_client(hq_admin).get(url("framework-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'data-code="([^"]+)" data-version="(\d+)" data-state="(\w+)"', html) == [
        ("sso-pr", "1", "draft")
    ]
    assert "<td>16</td>\n<td>60</td>\n<td>0</td>" in html


def test_framework_page_shows_the_tree_with_weights_as_shares(
    installed: Framework, hq_admin: User, staff_client: Any
) -> None:
    response = staff_client(hq_admin).get(url("framework", installed.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert _texts(html, "main-row") == [f"M{i:02}" for i in range(1, 17)]
    assert _texts(html, "sub-row") == [f"S{i:02}" for i in range(1, 61)]
    shares = re.findall(r'data-testid="main-weight"><strong>([\d.]+)%</strong>', html)
    assert shares == [
        "6.0",
        "10.0",
        "6.0",
        "6.0",
        "10.0",
        "6.0",
        "8.0",
        "10.0",
        "6.0",
        "6.0",
        "6.0",
        "5.0",
        "4.0",
        "4.0",
        "4.0",
        "3.0",
    ]
    assert sum(Decimal(s) for s in shares) == 100
    s17 = html[html.index('id="S17"') : html.index('id="S18"')]
    for text in (
        "Duration",
        "Lower is better",
        "Distance to target",
        "<td>24</td>",
        "<td>hours</td>",
        "40.0%",
    ):
        assert text in s17
    s26 = html[html.index('id="S26"') : html.index('id="M08"')]
    assert "Computed by the platform" in s26
    assert "portal.explanations_published" in s26
    assert html.count("/indicators/") == 76  # an edit link per indicator of a draft
    assert '<link rel="stylesheet" href="/static/tabyin/css/scorecard.css">' in html


def test_framework_page_in_persian_uses_persian_digits(
    installed: Framework, hq_admin: User, staff_client: Any
) -> None:
    with translation.override("fa"):
        persian = reverse("scorecard:framework", args=[installed.pk])
    html = staff_client(hq_admin).get(persian).content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert 'data-testid="main-weight"><strong>۱۰٫۰٪</strong>' in html
    assert "مقابله با شایعه" in html


def test_framework_page_takes_a_constant_number_of_queries(
    installed: Framework, hq_admin: User, staff_client: Any, django_assert_num_queries: Any
) -> None:
    client = staff_client(hq_admin)
    client.get(url("framework", installed.pk))  # warm the session (the menu's work counts)
    with django_assert_num_queries(6):
        client.get(url("framework", installed.pk))
    # The same for a one-indicator framework as for the 76 of the default.
    tiny = services.default_framework_data()
    tiny.update(
        code="tiny", indicators=[{**tiny["indicators"][0], "children": tiny["indicators"][0]["children"][:1]}]
    )
    small = services.framework_load(actor=hq_admin, data=tiny)
    with django_assert_num_queries(6):
        client.get(url("framework", small.pk))
    # A revision with a diff against its base: two more queries for the diff, whatever its size.
    new = services.framework_revise(actor=hq_admin, framework=installed, change_note="Check the counts.")
    services.indicator_update(actor=hq_admin, indicator=_row(new, "S01"), weight="50")
    with django_assert_num_queries(8):
        client.get(url("framework", new.pk))
    with django_assert_num_queries(5):
        client.get(url("framework-list"))


@pytest.mark.parametrize("persona", ["hq_admin", "hq_evaluator"])
def test_an_administrator_and_an_hq_evaluator_edit_with_persian_digits(
    installed: Framework, persona: str, staff_client: Any, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    client = staff_client(user)
    edit = url("framework-indicator-edit", installed.pk, "S17")
    assert client.get(edit).status_code == 200
    form = {
        **services.framework_export(installed)["indicators"][4]["children"][0],
        "weight": "۱۲٫۵",
        "target": "۱۲",
        "evidence_required": "on",
    }
    response = client.post(edit, form)
    assert response.status_code == 302
    assert response["Location"] == url("framework", installed.pk) + "#S17"
    row = _row(installed, "S17")
    assert (row.weight, row.target) == (Decimal("12.5"), Decimal("12"))


def test_bad_input_shows_a_clear_message_and_changes_nothing(
    installed: Framework, hq_admin: User, staff_client: Any
) -> None:
    client = staff_client(hq_admin)
    edit = url("framework-indicator-edit", installed.pk, "S17")
    form = {**services.framework_export(installed)["indicators"][4]["children"][0], "evidence_required": "on"}
    response = client.post(edit, {**form, "weight": "-2", "target": "abc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<ul class="errorlist" id="id_weight_error" data-testid="errors-weight">'
        "<li>The weight cannot be negative.</li></ul>" in html
    )
    assert (
        '<ul class="errorlist" id="id_target_error" data-testid="errors-target">'
        "<li>“abc” is not a number.</li></ul>" in html
    )
    row = _row(installed, "S17")
    assert (row.weight, row.target) == (Decimal(40), Decimal(24))


def test_a_main_indicator_form_has_only_its_fields(
    installed: Framework, hq_admin: User, staff_client: Any
) -> None:
    html = staff_client(hq_admin).get(url("framework-indicator-edit", installed.pk, "M05")).content.decode()
    assert re.findall(r'<label for="id_(\w+)"', html) == [
        "name_fa",
        "name_en",
        "definition_fa",
        "definition_en",
        "weight",
    ]


def test_a_frozen_version_says_why_and_offers_a_new_version(
    installed: Framework, hq_admin: User, staff_client: Any
) -> None:
    services.framework_freeze(framework=installed)
    client = staff_client(hq_admin)
    edit = url("framework-indicator-edit", installed.pk, "S17")
    html = client.get(edit).content.decode()
    assert f'<p class="sc-frozen" role="note" data-testid="frozen">{FROZEN}</p>' in html
    assert 'data-testid="editor"' not in html
    assert f'action="{url("framework-revise", installed.pk)}"' in html
    response = client.post(edit, {"weight": "1"})
    assert response.status_code == 200
    assert _row(installed, "S17").weight == Decimal(40)
    page = client.get(url("framework", installed.pk)).content.decode()
    assert "/indicators/" not in page

    response = client.post(
        url("framework-revise", installed.pk), {"change_note": "Rumour answers in 12 hours."}
    )
    new = Framework.objects.get(code="sso-pr", version=2)
    assert response["Location"] == url("framework", new.pk)
    assert (new.state, new.based_on_id) == (FrameworkState.DRAFT, installed.pk)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="no-changes"' in page
    m05 = {k: v for k, v in services.framework_export(new)["indicators"][4].items() if k != "children"}
    client.post(url("framework-indicator-edit", new.pk, "M05"), {**m05, "name_en": "Rumours"})
    page = client.get(response["Location"]).content.decode()
    assert re.findall(r'data-testid="diff-row" data-code="(\w+)" data-field="(\w+)"', page) == [
        ("M05", "name_en")
    ]


def test_a_revision_needs_a_note(installed: Framework, hq_admin: User, staff_client: Any) -> None:
    response = staff_client(hq_admin).post(
        url("framework-revise", installed.pk), {"change_note": ""}, follow=True
    )
    assert "Say what the new version changes and why." in response.content.decode()
    assert Framework.objects.count() == 1


def test_a_provincial_officer_reads_versions_in_force_but_edits_nothing(
    installed: Framework, tehran_officer: User, staff_client: Any
) -> None:
    client = staff_client(tehran_officer)
    # A draft is HQ's work in progress: not listed, and its page does not exist for them.
    assert 'data-testid="framework-row"' not in client.get(url("framework-list")).content.decode()
    assert client.get(url("framework", installed.pk)).status_code == 404
    # Editing and revising are refused outright.
    assert client.get(url("framework-indicator-edit", installed.pk, "S17")).status_code == 403
    assert client.post(url("framework-revise", installed.pk), {"change_note": "x"}).status_code == 403
    # Once a period uses the version, the province sees the rules it is scored by, read-only.
    services.framework_freeze(framework=installed)
    assert 'data-version="1" data-state="frozen"' in client.get(url("framework-list")).content.decode()
    page = client.get(url("framework", installed.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert len(_texts(html, "sub-row")) == 60
    assert "/indicators/" not in html
    assert 'data-testid="revise-form"' not in html
    assert Framework.objects.count() == 1


def test_an_hq_analyst_reads_drafts_but_cannot_edit(
    installed: Framework, hq_analyst: User, staff_client: Any
) -> None:
    client = staff_client(hq_analyst)
    assert client.get(url("framework", installed.pk)).status_code == 200
    assert client.get(url("framework-indicator-edit", installed.pk, "S17")).status_code == 403

"""The reviewed list of office words: the shipped file, its copy in the database, and edits by
administrators, which the checker uses at once."""

from __future__ import annotations

import csv
from importlib import resources

import pytest
from django.core.exceptions import PermissionDenied

from tabyin.core.models import AuditEntry, User
from tabyin.reception.plainlang import selectors
from tabyin.reception.plainlang.jargon import read_file
from tabyin.reception.plainlang.models import JargonEntry
from tabyin.reception.plainlang.services import jargon_entry_save
from tabyin.reception.plainlang.text import key
from tests.conftest import verified_client


def rows() -> list[dict[str, str]]:
    text = resources.files("tabyin.reception.plainlang").joinpath("data/jargon.tsv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_file_is_numbered_complete_and_without_duplicates() -> None:
    found = rows()
    assert len(found) == 603
    assert [int(r["n"]) for r in found] == list(range(1, 604))
    keys = [key(r["term"].replace(" ", "")) for r in found]
    assert len(set(keys)) == len(keys)
    assert all(r["term"].strip() and r["plain"].strip() for r in found)
    assert all(r["term"].strip() != r["plain"].strip() for r in found)


def test_the_examples_of_the_brief_are_in_it_and_pension_is_kept() -> None:
    by_term = {e.term: e for e in read_file()}
    assert by_term["الزامی است"].plain == "باید"
    assert by_term["مساعدت"].plain == "کمک"
    assert by_term["اخذ"].plain == "گرفتن"
    assert by_term["مبادرت ورزید"].plain == "کرد"
    assert by_term["مستمری‌بگیر مشمول"].plain == "مستمری‌بگیری که شرایط این طرح را دارد"
    assert "مستمری" not in by_term and "مستمری‌بگیر" not in by_term


@pytest.mark.django_db
def test_the_migration_copied_the_file_into_the_database() -> None:
    shipped = read_file()
    stored = list(JargonEntry.objects.order_by("number").values_list("number", "term", "plain", "note"))
    assert len(stored) == 603
    assert stored == [(n, e.term, e.plain, e.note) for n, e in enumerate(shipped, start=1)]


def test_an_administrator_adds_a_term_and_the_checker_uses_it(hq_admin: User) -> None:
    text = "این مصوبه از فردا اجرایی می‌شود."
    assert [f.excerpt for f in selectors.check_text(text).findings] == ["مصوبه"]
    entry = jargon_entry_save(
        actor=hq_admin, entry=JargonEntry(number=604, term="اجرايی می‌شود", plain="اجرا می‌شود"), is_new=True
    )
    assert entry.term == "اجرایی می‌شود"  # stored normalized: Arabic ي became ی
    assert [(f.excerpt, f.fix) for f in selectors.check_text(text).findings] == [
        ("مصوبه", "تصمیم رسمی"),
        ("اجرایی می‌شود", "اجرا می‌شود"),
    ]
    audit = AuditEntry.objects.get(object_type="reception.jargonentry", object_id=str(entry.pk))
    assert (audit.action, audit.actor_username, audit.after["term"]) == ("create", "hq.admin", "اجرایی می‌شود")


def test_switching_an_entry_off_stops_its_findings_and_is_audited(hq_admin: User) -> None:
    entry = JargonEntry.objects.get(term="مصوبه")
    entry.active = False
    jargon_entry_save(actor=hq_admin, entry=entry, is_new=False)
    assert selectors.check_text("این مصوبه از فردا اجرا می‌شود.").findings == ()
    audit = AuditEntry.objects.get(object_type="reception.jargonentry", object_id=str(entry.pk))
    assert (audit.action, audit.before, audit.after) == ("update", {"active": True}, {"active": False})


def test_only_administrators_edit_the_list(hq_analyst: User) -> None:
    entry = JargonEntry.objects.get(term="مصوبه")
    entry.plain = "چیز دیگر"
    with pytest.raises(PermissionDenied):
        jargon_entry_save(actor=hq_analyst, entry=entry, is_new=False)
    assert JargonEntry.objects.get(term="مصوبه").plain == "تصمیم رسمی"


def test_the_list_is_in_the_administration(hq_admin: User) -> None:
    response = verified_client(hq_admin).get(
        "/staff/admin/reception/jargonentry/?q=%D9%85%D8%B3%D8%A7%D8%B9%D8%AF%D8%AA"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "مساعدت" in html and "کمک" in html

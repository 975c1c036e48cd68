"""S32 (dialogue meetings with groups and associations) is computed from reception's face-to-face
meetings (metric ``reception.meetings_held``) in the default framework as shipped from now on
(data/default_framework.json). The framework is installed from that file, not by a migration, so
this one only brings an installed default framework along where that changes no figure:

- a DRAFT version of the default framework (no period uses it, so no value was entered for S32),
- whose S32 is still the shipped entered indicator (staff did not change it).

A FROZEN version is left as it is: its periods were entered and scored with S32 entered, and the
scores must stay reproducible. The next version (framework_revise, then edit S32 or import the new
default) takes the change, as any framework change does.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

CODE = "S32"
METRIC = "reception.meetings_held"
DEFINITION_FA = (
    "جلسات گفت‌وگو با کارگران، کارفرمایان، بازنشستگان و تشکل‌هایشان برای شنیدن حرف آن‌ها و پاسخ دادن "
    "که در دوره برگزار شده‌اند (بر پایه تاریخ برگزاری). به ازای هر 100 هزار نفر جمعیت تحت پوشش. "
    "سامانه آن را از جلسه‌های حضوری ثبت‌شده در بخش جلسه‌های مردمی محاسبه می‌کند و نیازی به ورود داده نیست."
)
DEFINITION_EN = (
    "Meetings with workers, employers, pensioners and their associations, to hear them and answer, "
    "held in the period (by their date). Per 100,000 covered people. Computed by the platform from "
    "the face-to-face meetings recorded in public meetings; there is nothing to enter."
)


def forwards(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("scorecard", "Indicator")
    indicator.objects.filter(
        framework__code="sso-pr",
        framework__state="draft",
        code=CODE,
        source="entered",
        metric="",
        evidence_en="The minutes",
    ).update(
        source="computed",
        metric=METRIC,
        evidence_required=False,
        evidence_fa="لازم نیست؛ سامانه محاسبه می‌کند",
        evidence_en="None: the platform computes it",
        definition_fa=DEFINITION_FA,
        definition_en=DEFINITION_EN,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scorecard", "0003_verbose_names"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]

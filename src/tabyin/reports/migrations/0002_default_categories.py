"""The default categories and routing rules (data/defaults.json), installed once.

Administrators change them afterwards in the staff pages; this migration never overwrites them.
"""

import json
from pathlib import Path

from django.db import migrations

DEFAULTS = Path(__file__).resolve().parent.parent / "data" / "defaults.json"


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    Category = apps.get_model("reports", "Category")
    RoutingRule = apps.get_model("reports", "RoutingRule")
    data = json.loads(DEFAULTS.read_text("utf-8"))
    for row in data["categories"]:
        routes = row.pop("routes")
        category, created = Category.objects.get_or_create(code=row["code"], defaults=row)
        if created:
            for route in routes:
                RoutingRule.objects.create(category=category, **route)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

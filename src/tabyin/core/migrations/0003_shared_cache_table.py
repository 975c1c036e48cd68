"""The table behind the embedded mode's cross-process cache (settings.CACHES["shared"])."""

from django.core.management import call_command
from django.db import migrations

TABLE = "tabyin_shared_cache"


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only_trigger")]
    operations = [migrations.RunPython(forward, backward)]

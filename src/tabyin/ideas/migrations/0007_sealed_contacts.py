"""Authors' contacts sealed at rest (``ideas.entries.sealed``): the column widens, then every plain
row is written again through the sealing field. Reversed, the rows are opened and written plain."""

from typing import Any

from django.db import migrations

import tabyin.ideas.entries.sealed


def seal_all(apps: Any, schema_editor: Any) -> None:
    Entry = apps.get_model("ideas", "Entry")
    # Reading goes through the field: a plain row is read as it is, a sealed one is opened; the
    # update seals it (again, harmlessly, if it already was).
    for pk, contact in Entry.objects.values_list("pk", "contact").iterator():
        Entry.objects.filter(pk=pk).update(contact=contact)


def open_all(apps: Any, schema_editor: Any) -> None:
    Entry = apps.get_model("ideas", "Entry")
    rows = list(Entry.objects.values_list("pk", "contact"))
    with schema_editor.connection.cursor() as cursor:
        for pk, contact in rows:
            cursor.execute("UPDATE ideas_entry SET contact = %s WHERE id = %s", [contact, pk])


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0006_author_notices"),
    ]

    operations = [
        migrations.AlterField(
            model_name="entry",
            name="contact",
            field=tabyin.ideas.entries.sealed.SealedContactField(max_length=420),
        ),
        migrations.RunPython(seal_all, open_all),
    ]

"""Jury feedback per review (issue 18): jurors write it, the organizer releases it, the author
reads the released copies. The old free-text ``Entry.feedback`` (never written by the app, shown if
set) is kept as the first released item so nothing is lost."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _keep_old_feedback(apps, schema_editor):  # type: ignore[no-untyped-def]
    Entry = apps.get_model("ideas", "Entry")
    for entry in Entry.objects.exclude(feedback=""):
        entry.jury_feedback = [{"text": entry.feedback, "released_at": entry.updated_at.isoformat()}]
        entry.save(update_fields=["jury_feedback"])


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0003_announcement_draft"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="jury_feedback",
            field=models.JSONField(blank=True, default=list, verbose_name="jury feedback"),
        ),
        migrations.RunPython(_keep_old_feedback, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="entry",
            name="feedback",
        ),
        migrations.CreateModel(
            name="Feedback",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(max_length=2000, verbose_name="feedback to the author")),
                ("written_at", models.DateTimeField()),
                ("released_at", models.DateTimeField(blank=True, null=True)),
                (
                    "assignment",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="feedback",
                        to="ideas.assignment",
                    ),
                ),
                (
                    "released_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "jury feedback to the author",
                "verbose_name_plural": "jury feedback to authors",
            },
        ),
    ]

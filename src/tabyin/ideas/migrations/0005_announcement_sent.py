"""The winners' announcement records when the outbox sent its draft (registry.draft_published)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0004_jury_feedback"),
    ]

    operations = [
        migrations.AddField(
            model_name="announcement",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sent through the owned channels"),
        ),
    ]

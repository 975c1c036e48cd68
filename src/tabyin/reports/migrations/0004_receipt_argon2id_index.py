"""The receipt index becomes an Argon2id of the peppered code with an installation salt.

Existing rows keep their code: their old HMAC index is replaced here by an Argon2id of it (no code
or pepper needed), and the first successful open re-indexes them like a new report
(``services_receipts``). One Argon2id run per existing report, at the configured receipt cost.
"""

from typing import Any

from django.db import migrations, models


def forward(apps: Any, schema_editor: Any) -> None:
    from tabyin.reports.crypto import sodium
    from tabyin.reports.intake import services_receipts

    salt_model = apps.get_model("reports", "ReceiptSalt")
    if not salt_model.objects.exists():
        salt_model.objects.create(pk=1, salt=sodium.random_bytes(sodium.SALT_BYTES))
    services_receipts.harden_legacy(apps.get_model("reports", "Report"))


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_keyring_versions")]

    operations = [
        migrations.CreateModel(
            name="ReceiptSalt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("salt", models.BinaryField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        # Rows that exist now were made with the HMAC index (receipts.LEGACY_HMAC = 1) ...
        migrations.AddField(
            model_name="report",
            name="receipt_scheme",
            field=models.PositiveSmallIntegerField(db_index=True, default=1),
            preserve_default=False,
        ),
        # ... new rows with the Argon2id index (receipts.CURRENT = 3).
        migrations.AlterField(
            model_name="report",
            name="receipt_scheme",
            field=models.PositiveSmallIntegerField(db_index=True, default=3),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=False),
    ]

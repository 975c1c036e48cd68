"""Staff authenticators move from django-otp's TOTPDevice (secret in clear hex) to core's
SealedTotpDevice (secret encrypted under TABYIN_OTP_KEY / DATA_DIR/otp_key); the clear rows are
deleted. Sessions verified with an old device are asked for a code again once."""

from binascii import hexlify, unhexlify

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FIELDS = ("name", "confirmed", "throttling_failure_timestamp", "throttling_failure_count", "last_used_at")
FIELDS += ("step", "t0", "digits", "tolerance", "drift", "last_t")


def seal_clear_devices(apps, schema_editor):
    from tabyin.core import otp_sealing

    clear = apps.get_model("otp_totp", "TOTPDevice")
    sealed = apps.get_model("core", "SealedTotpDevice")
    for old in clear.objects.order_by("pk"):
        new = sealed.objects.create(
            user_id=old.user_id,
            sealed_key=otp_sealing.seal(unhexlify(old.key), user_id=old.user_id),
            **{field: getattr(old, field) for field in FIELDS},
        )
        sealed.objects.filter(pk=new.pk).update(created_at=old.created_at)
    clear.objects.all().delete()


def unseal_to_clear(apps, schema_editor):
    from tabyin.core import otp_sealing

    clear = apps.get_model("otp_totp", "TOTPDevice")
    sealed = apps.get_model("core", "SealedTotpDevice")
    for new in sealed.objects.order_by("pk"):
        raw = otp_sealing.unseal(new.sealed_key, user_id=new.user_id)
        old = clear.objects.create(
            user_id=new.user_id, key=hexlify(raw).decode(), **{field: getattr(new, field) for field in FIELDS}
        )
        clear.objects.filter(pk=old.pk).update(created_at=new.created_at)
    sealed.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_alter_auditentry_action"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="SealedTotpDevice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(help_text="The human-readable name of this device.", max_length=64),
                ),
                ("confirmed", models.BooleanField(default=True, help_text="Is this device ready for use?")),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text="A timestamp of the last failed verification attempt. Null if last attempt succeeded.",
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(default=0, help_text="Number of successive failed attempts."),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text="The date and time when this device was initially created in the system.",
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True, help_text="The most recent date and time this device was used.", null=True
                    ),
                ),
                ("sealed_key", models.BinaryField()),
                ("step", models.PositiveSmallIntegerField(default=30)),
                ("t0", models.BigIntegerField(default=0)),
                ("digits", models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)),
                ("tolerance", models.PositiveSmallIntegerField(default=1)),
                ("drift", models.SmallIntegerField(default=0)),
                ("last_t", models.BigIntegerField(default=-1)),
                (
                    "user",
                    models.ForeignKey(
                        help_text="The user that this device belongs to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "authenticator",
                "verbose_name_plural": "authenticators",
                "abstract": False,
            },
        ),
        migrations.RunPython(seal_clear_devices, unseal_to_clear),
    ]

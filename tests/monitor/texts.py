"""Persian sample items shared by the ingestion tests (written for the tests, not from a data set)."""

from datetime import UTC, datetime

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
NEWS = (
    "سازمان تامین اجتماعی اعلام کرد که مستمری بازنشستگان از ماه آینده بیست درصد افزایش می‌یابد"
    " و پرداخت آن از دهم ماه آغاز می‌شود"
)
OTHER = (
    "بیمارستان جدید شهرستان در حضور استاندار و مدیران استانی افتتاح شد"
    " و از هفته آینده بیماران سرپایی را پذیرش می‌کند"
)

"""The editable tables of the working calendar (registered through ``core/models.py``)."""

from __future__ import annotations

from datetime import time
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class ThursdayRule(models.TextChoices):
    HALF = "half", _("Thursday is a half day")
    OFF = "off", _("Thursday is off")


class HolidayOrigin(models.TextChoices):
    SOLAR = "solar", _("Solar (fixed Jalali date)")
    LUNAR = "lunar", _("Lunar (moves every year)")
    DECREED = "decreed", _("Declared by the government")


class WorkSchedule(models.Model):
    """Office hours of the week (one row): Saturday to Wednesday full days, Thursday a half day or
    off, Friday always off. Times are Tehran wall-clock times."""

    day_start = models.TimeField(_("working day starts"), default=time(7, 30))
    day_end = models.TimeField(_("working day ends"), default=time(14, 30))
    thursday = models.CharField(
        _("Thursday"), max_length=8, choices=ThursdayRule.choices, default=ThursdayRule.HALF
    )
    thursday_end = models.TimeField(_("Thursday ends (half day)"), default=time(12, 0))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "core"
        verbose_name = _("working week")
        verbose_name_plural = _("working week")

    def __str__(self) -> str:
        return f"{self.day_start:%H:%M}-{self.day_end:%H:%M} / {self.thursday}"


class Holiday(models.Model):
    """An official holiday (a whole day off). Lunar holidays move every year and may move by a day
    when the new moon is sighted: staff correct the row here."""

    day = models.DateField(_("day"), unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    origin = models.CharField(_("origin"), max_length=8, choices=HolidayOrigin.choices)

    class Meta:
        app_label = "core"
        ordering: ClassVar = ["day"]
        verbose_name = _("official holiday")
        verbose_name_plural = _("official holidays")

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name_en}"

"""A post's stance towards a story it is not part of: today, a denial linked to the rumor it denies.

Imported by ``models`` (refer to its models by "monitor.Name" strings, never import them here).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tabyin.monitor.enums import Stance


class StanceLink(models.Model):
    """A denial of ``rumor`` (official or not): an answer-side post, counted beside our own answer in
    the rumor-vs-answer spread and never in the rumor's own figures. ``moved`` says the stance step
    took it out of the rumor's story, where the near-duplicate index had put it."""

    post = models.OneToOneField("monitor.Post", on_delete=models.CASCADE, related_name="stance_link")
    rumor = models.ForeignKey(
        "monitor.Story", on_delete=models.CASCADE, related_name="stance_links", db_index=False
    )
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices, default=Stance.DISAGREE)
    score = models.FloatField(default=0.0)
    moved = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("stance link")
        verbose_name_plural = _("stance links")
        indexes: ClassVar = [models.Index(fields=["rumor", "stance"], name="monitor_stance_rumor")]

    def __str__(self) -> str:
        return f"{self.post_id} {self.stance} {self.rumor_id}"

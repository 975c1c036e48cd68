"""The checked input every estimator reads: a balanced monthly panel, who was treated when, and
who is the comparison.

Bad input raises :class:`PanelError` with a Persian sentence a campaign organizer can act on;
the caller keeps the raw panel (nothing is changed in place).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from tabyin.campaigns.effects.simulate import month_index

__all__ = ["MIN_POST_MONTHS", "MIN_PRE_MONTHS", "Design", "PanelError", "prepare"]

# Fewer pre-launch months than this and no method can tell a trend and a season from an effect.
MIN_PRE_MONTHS = 6
MIN_POST_MONTHS = 1


class PanelError(ValueError):
    """The panel cannot be estimated on; ``str()`` is a Persian sentence for the organizer."""


@dataclass(frozen=True)
class Design:
    """A balanced panel (one row per province and month, sorted) and the study design on it.

    ``frame`` has the input columns plus ``t`` (month number from the first month, 0-based),
    ``moy`` (month of year 1–12), ``launch_t`` (the province's launch month number, or -1 when it
    was never treated) and ``post`` (1 from the launch on).
    """

    frame: pd.DataFrame
    first: date
    months: int
    treated: Mapping[str, date]
    controls: tuple[str, ...]

    @property
    def treated_codes(self) -> tuple[str, ...]:
        return tuple(sorted(self.treated))

    @property
    def earliest_launch_t(self) -> int:
        return min(month_index(self.first, launch) for launch in self.treated.values())

    def subset(self, provinces: Sequence[str], treated: Mapping[str, date], controls: Sequence[str]) -> Design:
        """The same panel restricted to ``provinces`` with another design (placebo checks)."""
        frame = self.frame[self.frame["province"].isin(list(provinces))]
        return _with_design(replace(self, frame=frame), dict(treated), tuple(sorted(controls)))

    def truncated(self, months: int) -> Design:
        """Only the first ``months`` months (a fake launch date must see no real post month)."""
        frame = self.frame[self.frame["t"] < months]
        return replace(self, frame=frame, months=months)


def _with_design(design: Design, treated: dict[str, date], controls: tuple[str, ...]) -> Design:
    frame = design.frame.copy()
    launch = {code: month_index(design.first, month) for code, month in treated.items()}
    frame["launch_t"] = frame["province"].map(launch).fillna(-1).astype(int)
    frame["post"] = ((frame["launch_t"] >= 0) & (frame["t"] >= frame["launch_t"])).astype(int)
    return replace(design, frame=frame, treated=treated, controls=controls)


def prepare(panel: pd.DataFrame, treated: Mapping[str, date], held_out: Sequence[str]) -> Design:
    missing = {"province", "month", "outcome"} - set(panel.columns)
    if missing:
        raise PanelError("جدول نتیجه این ستون‌ها را ندارد: " + "، ".join(sorted(missing)))
    frame = panel[["province", "month", "outcome"]].copy()
    frame["province"] = frame["province"].astype(str)
    frame["outcome"] = pd.to_numeric(frame["outcome"], errors="coerce").astype(float)
    if not np.isfinite(frame["outcome"].to_numpy()).all():
        raise PanelError("در جدول نتیجه خانهٔ خالی یا غیرعددی هست؛ هر استان باید در هر ماه یک عدد داشته باشد.")
    months = sorted(set(frame["month"]))
    if any(not isinstance(m, date) or m.day != 1 for m in months):
        raise PanelError("ستون ماه باید تاریخ روز اول هر ماه باشد.")
    first = months[0]
    frame["t"] = [month_index(first, m) for m in frame["month"]]
    span = frame["t"].max() + 1
    provinces = sorted(set(frame["province"]))
    if frame.duplicated(["province", "t"]).any() or len(frame) != span * len(provinces):
        raise PanelError("جدول نتیجه کامل نیست: هر استان باید برای هر ماه دقیقاً یک ردیف داشته باشد.")
    unknown = (set(treated) | set(held_out)) - set(provinces)
    if unknown:
        raise PanelError("این استان‌ها در جدول نتیجه نیستند: " + "، ".join(sorted(unknown)))
    if not treated:
        raise PanelError("هیچ استانی برای کارزار انتخاب نشده است.")
    if set(treated) & set(held_out):
        raise PanelError("یک استان نمی‌تواند هم در کارزار باشد و هم کنار گذاشته شود.")
    for code, launch in treated.items():
        pre = month_index(first, launch)
        if pre < MIN_PRE_MONTHS or pre > span - MIN_POST_MONTHS:
            raise PanelError(
                f"شروع کارزار در استان {code} باید دست‌کم {MIN_PRE_MONTHS} ماه پس از آغاز داده‌ها "
                "و پیش از آخرین ماه آن باشد."
            )
    frame["moy"] = [m.month for m in frame["month"]]
    frame = frame.sort_values(["province", "t"]).reset_index(drop=True)
    design = Design(frame=frame, first=first, months=int(span), treated={}, controls=())
    return _with_design(design, dict(treated), tuple(sorted(held_out)))

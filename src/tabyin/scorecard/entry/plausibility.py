"""Is a value the officer typed far outside what is usual? Pure: numbers in, a decision out.

Two references are asked, each on its own:

- the province's own history: its values for the same sub-indicator in earlier periods of the
  same kind (a year with years), at least ``MIN_OWN`` of them;
- its peer group: the values of the other provinces of the same size group, this period and the
  period before, at least ``MIN_PEERS`` of them.

"Far outside" is a robust distance (the modified z-score of Iglewicz and Hoaglin): with ``m`` the
median of the reference values and ``MAD`` their median absolute deviation from ``m``,

    far  ⇔  |x − m| > K × s,   s = max(1.4826 × MAD, RELATIVE_FLOOR × |m|, ABSOLUTE_FLOOR)

with ``K = 3.5``. The median and the MAD are not moved by one odd value among the references
(another province's typo does not widen the band), and 1.4826 × MAD is the standard deviation
when the values are normal. The floors keep a history of equal values (MAD = 0: a province that
reported 12 three times) from flagging 13: the band is then at least ±87.5 % of the median, and
at least ±3.5 units around zero.

A reference with too few values is not asked; with neither, nothing is flagged (a new
sub-indicator or the first period of a province has no "usual" yet) and the page says nothing.
A warning never blocks a save: the officer confirms the value or corrects it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

K = Decimal("3.5")
MAD_TO_SD = Decimal("1.4826")
RELATIVE_FLOOR = Decimal("0.25")
ABSOLUTE_FLOOR = Decimal("1")
MIN_OWN = 2
MIN_PEERS = 4


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        raise ValueError("median of nothing")
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def spread(values: Sequence[Decimal]) -> Decimal:
    """The robust scale ``s`` of the module docstring."""
    centre = median(values)
    mad = median([abs(v - centre) for v in values])
    return max(MAD_TO_SD * mad, RELATIVE_FLOOR * abs(centre), ABSOLUTE_FLOOR)


def far_outside(value: Decimal, reference: Sequence[Decimal], *, minimum: int) -> bool | None:
    """Whether ``value`` is far from ``reference``; None when there are fewer than ``minimum``
    reference values (not enough to say what is usual)."""
    if len(reference) < minimum:
        return None
    return abs(value - median(reference)) > K * spread(reference)


@dataclass(frozen=True)
class Check:
    """The decision on one value, with the figures the officer and the reviewer are shown."""

    value: Decimal
    own_far: bool | None  # None: too little history
    peer_far: bool | None  # None: too few peers
    own_low: Decimal | None = None
    own_high: Decimal | None = None
    own_count: int = 0
    peer_median: Decimal | None = None
    peer_count: int = 0

    @property
    def far(self) -> bool:
        return bool(self.own_far or self.peer_far)

    def as_json(self) -> dict[str, str | int | bool | None]:
        """What is stored on the value (ASCII digits, decimals as strings)."""

        def text(number: Decimal | None) -> str | None:
            return None if number is None else format(number.normalize(), "f")

        return {
            "value": text(self.value),
            "own_far": self.own_far,
            "own_low": text(self.own_low),
            "own_high": text(self.own_high),
            "own_count": self.own_count,
            "peer_far": self.peer_far,
            "peer_median": text(self.peer_median),
            "peer_count": self.peer_count,
        }


def check(value: Decimal, own: Sequence[Decimal], peers: Sequence[Decimal]) -> Check:
    """Compare ``value`` with the province's own earlier values and with its peers' values."""
    return Check(
        value=value,
        own_far=far_outside(value, own, minimum=MIN_OWN),
        peer_far=far_outside(value, peers, minimum=MIN_PEERS),
        own_low=min(own) if len(own) >= MIN_OWN else None,
        own_high=max(own) if len(own) >= MIN_OWN else None,
        own_count=len(own),
        peer_median=median(peers) if len(peers) >= MIN_PEERS else None,
        peer_count=len(peers),
    )

"""The plausibility rule on its own: exact decisions on given histories (see plausibility.py for
the rule: |x − median| > 3.5 × max(1.4826 × MAD, 25 % of |median|, 1))."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tabyin.scorecard.entry.plausibility import Check, check, far_outside, median, spread


def ds(*values: str | int) -> list[Decimal]:
    return [Decimal(str(v)) for v in values]


def test_median_and_spread() -> None:
    assert median(ds(3, 1, 2)) == Decimal(2)
    assert median(ds(4, 1, 3, 2)) == Decimal("2.5")
    # MAD of 120, 200, 340 around 200: |−80|, 0, 140 → 80; 1.4826 × 80 = 118.608 beats 25 % of 200.
    assert spread(ds(120, 200, 340)) == Decimal("118.6080")
    # Equal values: MAD 0, so the 25 % floor (of 12) holds.
    assert spread(ds(12, 12, 12)) == Decimal("3.00")
    # All zero: the absolute floor of one unit.
    assert spread(ds(0, 0)) == Decimal(1)
    with pytest.raises(ValueError, match="median of nothing"):
        median([])


@pytest.mark.parametrize(
    ("value", "history", "far"),
    [
        (99_999_999, (120, 200, 340), True),
        (615, (120, 200, 340), False),  # 415 from the median; the band is ±415.128
        (616, (120, 200, 340), True),
        (0, (120, 200, 340), False),  # a value at zero is 200 away: within the band
        (13, (12, 12, 12), False),  # the floor: ±10.5 around 12
        (23, (12, 12, 12), True),
        (3, (0, 0), False),  # ±3.5 around zero
        (4, (0, 0), True),
        (99_999_999, (250,), None),  # one earlier period is not a history yet
        (99_999_999, (), None),
    ],
)
def test_far_outside_the_own_history(value: int, history: tuple[int, ...], far: bool | None) -> None:
    assert far_outside(Decimal(value), ds(*history), minimum=2) is far


def test_one_odd_peer_does_not_widen_the_band() -> None:
    peers = ds(200, 210, 220, 230, 99_999_999)
    assert far_outside(Decimal(215), peers, minimum=4) is False
    assert far_outside(Decimal(2_000), peers, minimum=4) is True  # median 220, band ±192.5
    assert far_outside(Decimal(2_000), peers[:3], minimum=4) is None  # three peers are too few


def test_the_decision_with_its_figures() -> None:
    result = check(Decimal(99_999_999), ds(120, 340, 200), ds(180, 210, 240, 205))

    assert result == Check(
        value=Decimal(99_999_999),
        own_far=True,
        peer_far=True,
        own_low=Decimal(120),
        own_high=Decimal(340),
        own_count=3,
        peer_median=Decimal("207.5"),
        peer_count=4,
    )
    assert result.far
    assert result.as_json() == {
        "value": "99999999",
        "own_far": True,
        "own_low": "120",
        "own_high": "340",
        "own_count": 3,
        "peer_far": True,
        "peer_median": "207.5",
        "peer_count": 4,
    }


def test_far_from_one_reference_is_enough_and_none_means_not_asked() -> None:
    own_only = check(Decimal(900), ds(120, 340), ds(800, 850, 900, 950))
    assert (own_only.own_far, own_only.peer_far, own_only.far) == (True, False, True)
    nothing = check(Decimal(99_999_999), ds(250), ds(1, 2))
    assert (nothing.own_far, nothing.peer_far, nothing.far) == (None, None, False)
    assert (nothing.own_low, nothing.own_high, nothing.peer_median) == (None, None, None)
    assert nothing.as_json()["own_count"] == 1 and nothing.as_json()["peer_count"] == 2

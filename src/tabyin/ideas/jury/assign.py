"""Who reviews which entry: every entry gets ``per_entry`` distinct jurors with no conflict of
interest, and the jurors' loads are as even as the conflicts allow.

Two steps. A greedy pass takes the entries with the fewest eligible jurors first and gives each the
least-loaded eligible jurors (equal loads in an order drawn from ``seed``). Then a balancing pass
moves reviews along chains (an entry of juror A goes to B, one of B's to C, …) from a juror with
load L to one with load L - 2 or less, until no such chain exists. Each move lowers the sum of
squared loads, so it ends; when it ends no chain exists from any load level, which is the
optimality condition of this convex flow problem, so the spread max - min is the smallest the
conflicts allow (≤ 1 whenever that is feasible). Only integers and lists are iterated, never sets
of strings, so the result depends on ``seed`` alone, not on the process's hash seed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from tabyin.ideas.jury.types import Entry, Juror, JuryError


class AssignmentError(JuryError):
    """The jury cannot be formed as asked."""


def has_conflict(juror: Juror, entry: Entry) -> bool:
    """Same province, same unit, a named conflict, or the juror wrote the entry."""
    return (
        juror.province == entry.province
        or juror.unit == entry.unit
        or entry.id in juror.conflicts
        or juror.id == entry.author_id
    )


def assign_jurors(
    entries: Sequence[Entry], jurors: Sequence[Juror], per_entry: int = 3, seed: int = 0
) -> dict[str, tuple[str, ...]]:
    """Entry id → the ids of its jurors (sorted), in the order of ``entries``."""
    _check_ids(entries, jurors, per_entry)
    eligible = _eligible(entries, jurors)
    short = [entries[e].id for e, pool in enumerate(eligible) if len(pool) < per_entry]
    if short:
        more = " …" if len(short) > 5 else ""
        raise AssignmentError(
            f"برای {len(short)} ورودی کمتر از {per_entry} داور بدون تعارض منافع هست: "
            f"{'، '.join(short[:5])}{more}",
            f"{len(short)} entries have fewer than {per_entry} jurors without a conflict: "
            f"{', '.join(short[:5])}{more}",
        )
    rng = random.Random(seed)  # noqa: S311 - a reproducible draw for equal loads, not a secret
    panels, load = _greedy(eligible, len(jurors), per_entry, rng)
    _balance(panels, load, eligible)
    return {entry.id: tuple(sorted(jurors[j].id for j in panels[e])) for e, entry in enumerate(entries)}


def _check_ids(entries: Sequence[Entry], jurors: Sequence[Juror], per_entry: int) -> None:
    if per_entry < 1:
        raise AssignmentError("هر ورودی دست‌کم یک داور می‌خواهد", "each entry needs at least one juror")
    if len({e.id for e in entries}) != len(entries):
        raise AssignmentError("شناسهٔ ورودی‌ها تکراری است", "entry ids are not unique")
    if len({j.id for j in jurors}) != len(jurors):
        raise AssignmentError("شناسهٔ داوران تکراری است", "juror ids are not unique")


def _eligible(entries: Sequence[Entry], jurors: Sequence[Juror]) -> list[list[int]]:
    """For each entry (by index) the indexes of the jurors without a conflict, in juror order."""
    by_place: dict[tuple[str, str], list[int]] = {}
    named: defaultdict[str, set[int]] = defaultdict(set)
    for j, juror in enumerate(jurors):
        for entry_id in juror.conflicts:
            named[entry_id].add(j)
    index = {juror.id: j for j, juror in enumerate(jurors)}
    pools = []
    for entry in entries:
        place = (entry.province, entry.unit)
        if place not in by_place:  # entries of one province and unit share their base pool
            by_place[place] = [
                j
                for j, juror in enumerate(jurors)
                if juror.province != entry.province and juror.unit != entry.unit
            ]
        excluded = named.get(entry.id)
        author = index.get(entry.author_id)
        base = by_place[place]
        if excluded is None and author is None:
            # Most entries: the shared base pool as is (nothing below changes a pool in place).
            pools.append(base)
        else:
            excluded = excluded or set()
            pools.append([j for j in base if j not in excluded and j != author])
    return pools


def _greedy(
    eligible: list[list[int]], n_jurors: int, per_entry: int, rng: random.Random
) -> tuple[list[set[int]], list[int]]:
    load = [0] * n_jurors
    panels: list[set[int]] = [set() for _ in eligible]
    draw = [rng.random() for _ in eligible]
    getrandbits = rng.getrandbits
    # (position, bound, bits) of every Fisher–Yates step for the longest pool, last step first; a
    # pool of length L uses the last L - 1 of them.
    longest = max((len(pool) for pool in eligible), default=0)
    steps = [(i, i + 1, (i + 1).bit_length()) for i in range(longest - 1, 0, -1)]
    for e in sorted(range(len(eligible)), key=lambda e: (len(eligible[e]), draw[e])):
        pool = eligible[e][:]
        # Fisher–Yates with the draws ``random.Random.shuffle`` makes (``_randbelow`` by rejection
        # on ``getrandbits``), written out: the same order for the same seed, without two Python
        # calls per element (this shuffle was most of the assignment's time).
        for i, n, k in steps[longest - len(pool) :]:
            r = getrandbits(k)
            while r >= n:
                r = getrandbits(k)
            pool[i], pool[r] = pool[r], pool[i]
        pool.sort(key=load.__getitem__)  # stable: equal loads keep the shuffled order
        for j in pool[:per_entry]:
            load[j] += 1
            panels[e].add(j)
    return panels, load


def _balance(panels: list[set[int]], load: list[int], eligible: list[list[int]]) -> None:
    held: list[list[int]] = [[] for _ in load]  # juror → entries, kept as sorted lists
    for e, panel in enumerate(panels):
        for j in panel:
            held[j].append(e)
    while True:
        lowest = min(load)
        for level in sorted({n for n in load if n >= lowest + 2}, reverse=True):
            path = _chain(level, panels, load, eligible, held)
            if path is not None:
                break
        else:
            return
        for giver, e, taker in path:
            panels[e].remove(giver)
            panels[e].add(taker)
            held[giver].remove(e)
            held[taker].append(e)
            held[taker].sort()
        load[path[0][0]] -= 1
        load[path[-1][2]] += 1


def _chain(
    level: int,
    panels: list[set[int]],
    load: list[int],
    eligible: list[list[int]],
    held: list[list[int]],
) -> list[tuple[int, int, int]] | None:
    """Breadth-first from every juror at ``level`` to one at ``level - 2`` or below: the list of
    (giver, entry, taker) moves, or None."""
    frontier = [j for j, n in enumerate(load) if n == level]
    came_from: dict[int, tuple[int, int] | None] = dict.fromkeys(frontier, None)
    while frontier:
        following = []
        for giver in frontier:
            for e in held[giver]:
                for taker in eligible[e]:
                    if taker in came_from or taker in panels[e]:
                        continue
                    came_from[taker] = (giver, e)
                    if load[taker] <= level - 2:
                        return _walk_back(taker, came_from)
                    following.append(taker)
        frontier = following
    return None


def _walk_back(end: int, came_from: dict[int, tuple[int, int] | None]) -> list[tuple[int, int, int]]:
    moves = []
    taker = end
    step = came_from[taker]
    while step is not None:
        giver, e = step
        moves.append((giver, e, taker))
        taker = giver
        step = came_from[taker]
    moves.reverse()
    return moves

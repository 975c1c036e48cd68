"""Misreadings grouped into clusters: the same wrong claim in different words. Pure Python.

A cluster is one key message and one wrong claim, told by the *signature* of the change
(``fidelity.signature``: "the number 20 % became 30 %", "«فقط» became «همه»"). Two posts that put
the same wrong figure in different words fall in the same cluster; two that change the figure
differently do not, because they call for different answers. Word overlap alone cannot tell those
apart (a post with 30 % and one with 25 % look alike), so the facts decide and the words only
serve the examples: inside a cluster, MinHash (``datasketch``, 64 permutations over word
3-shingles of core-normalised text, LSH at Jaccard 0.7) collapses reposts of one wording, so the
cluster counts posts and distinct wordings and shows one example per wording, most read first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from datasketch import MinHash, MinHashLSH

from tabyin.core.persian_text import search_key
from tabyin.reception.messages.facts import prepare
from tabyin.reception.messages.fidelity import Change, signature

PERMUTATIONS: Final = 64
SAME_WORDING: Final = 0.7
EXAMPLES: Final = 3
_WORD: Final = re.compile(r"[\w\u200c]+")


@dataclass(frozen=True)
class Misreading:
    message_id: int
    post_key: str
    text: str
    reach: int | None
    story_key: int | None
    change: Change


@dataclass
class Cluster:
    message_id: int
    signature: str
    change: Change  # the first post's change: what the cluster claims
    posts: int = 0
    reach: int = 0
    wordings: int = 0
    examples: list[Misreading] = field(default_factory=list)
    story_key: int | None = None  # the most-read post's story: where an answer is drafted


def _shingles(text: str) -> set[bytes]:
    # Words of the prepared text (links, handles, hashtags, emoji and punctuation dropped: a
    # channel's signature is not a wording), each folded by search_key.
    words = [search_key(word) for word in _WORD.findall(prepare(text))]
    if len(words) < 3:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)}


def _minhash(text: str) -> MinHash:
    sketch = MinHash(num_perm=PERMUTATIONS, seed=17)
    sketch.update_batch(list(_shingles(text)))
    return sketch


def _wordings(members: Sequence[Misreading]) -> list[list[Misreading]]:
    """Members grouped by near-identical wording, each group most read first."""
    lsh = MinHashLSH(threshold=SAME_WORDING, num_perm=PERMUTATIONS)
    groups: list[list[Misreading]] = []
    leader_of: dict[str, int] = {}
    for member in members:
        sketch = _minhash(member.text)
        near = [leader_of[k] for k in lsh.query(sketch)]
        if near:
            groups[min(near)].append(member)
        else:
            leader_of[member.post_key] = len(groups)
            lsh.insert(member.post_key, sketch)
            groups.append([member])
    return groups


def clusters(misreadings: Sequence[Misreading]) -> list[Cluster]:
    """Clusters, largest reach first (then most posts); ``misreadings`` most read first within."""
    by_claim: dict[tuple[int, str], list[Misreading]] = defaultdict(list)
    for item in misreadings:
        by_claim[(item.message_id, signature(item.change))].append(item)
    found: list[Cluster] = []
    for (message_id, sig), unsorted in by_claim.items():
        members = sorted(unsorted, key=lambda m: (-(m.reach or 0), m.post_key))
        groups = _wordings(members)
        found.append(
            Cluster(
                message_id=message_id,
                signature=sig,
                change=members[0].change,
                posts=len(members),
                reach=sum(m.reach or 0 for m in members),
                wordings=len(groups),
                examples=[group[0] for group in groups[:EXAMPLES]],
                story_key=next((m.story_key for m in members if m.story_key is not None), None),
            )
        )
    return sorted(found, key=lambda c: (-c.reach, -c.posts, c.message_id, c.signature))

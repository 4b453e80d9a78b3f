"""The one union-find: groups led by their smallest member, whatever the order of the joins."""

from __future__ import annotations

import random

from watchfloor.core.union_find import UnionFind


def test_representative_is_the_smallest_member_in_any_join_order():
    pairs = [(5, 3), (3, 8), (1, 7), (7, 9), (0, 0)]
    for seed in range(20):
        shuffled = random.Random(seed).sample(pairs, len(pairs))
        groups = UnionFind(10)
        for a, b in shuffled:
            groups.union(*random.Random(seed + 1).sample([a, b], 2))
        assert groups.representatives() == [0, 1, 2, 3, 4, 3, 6, 1, 3, 1]
        assert groups.groups() == [[0], [1, 7, 9], [2], [3, 5, 8], [4], [6]]

"""Disjoint sets over the indices 0..n-1 whose representative is always the group's smallest index.

Deduplication, story clustering and event merging join items transitively and need a
representative that does not depend on the order of the joins: the smallest index is one (roots
only ever point to smaller roots), so the same pairs give the same groups and representatives.
"""

from __future__ import annotations


class UnionFind:
    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def find(self, index: int) -> int:
        """The representative (smallest index) of the group of `index`."""
        parent = self._parent
        while parent[index] != index:
            parent[index] = parent[parent[index]]  # path halving keeps later finds short
            index = parent[index]
        return index

    def union(self, a: int, b: int) -> None:
        """Join the groups of `a` and `b` under the smaller representative."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self._parent[max(root_a, root_b)] = min(root_a, root_b)

    def representatives(self) -> list[int]:
        """For each index, its group's representative."""
        return [self.find(index) for index in range(len(self._parent))]

    def groups(self) -> list[list[int]]:
        """The groups, each in index order, ordered by their representative."""
        groups: dict[int, list[int]] = {}
        for index in range(len(self._parent)):
            groups.setdefault(self.find(index), []).append(index)
        return list(groups.values())  # a group first appears at its representative: already in order

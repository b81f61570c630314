"""A key -> set-of-values index that holds a key's only value without a set (map stage helper).

The aggregate graphs (:mod:`schoolkg.mapping.aggregates`) index millions of statements by subject,
and most subjects have one value per predicate: a Python ``set`` per key costs ~216 bytes more than
the value it holds, which at 60,000 documents was most of the aggregate step's memory.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, Generic, TypeVar

__all__ = ["MultiMap"]

V = TypeVar("V", bound=Hashable)

_MISSING: Any = object()


class MultiMap(Mapping[str, AbstractSet[V]], Generic[V]):
    """``key -> set of values``, read as a mapping of sets (read-only: change it with :meth:`add`).

    A key with one value holds it as it is; a second, different value makes its set.

    Examples
    --------
    >>> m: MultiMap[str] = MultiMap()
    >>> m.add("a", "x"); m.add("a", "x"); m.add("b", "y"); m.add("b", "z")
    >>> sorted(m["a"]), sorted(m["b"]), m.get("c", ()), len(m), "a" in m
    (['x'], ['y', 'z'], (), 2, True)
    """

    __slots__ = ("_many", "_one")

    def __init__(self) -> None:
        self._one: dict[str, V] = {}
        self._many: dict[str, set[V]] = {}

    def add(self, key: str, value: V) -> None:
        """Note ``value`` under ``key``."""
        many = self._many.get(key)
        if many is not None:
            many.add(value)
            return
        old = self._one.setdefault(key, value)
        if old is not value and old != value:
            del self._one[key]
            self._many[key] = {old, value}

    def __getitem__(self, key: str) -> AbstractSet[V]:
        many = self._many.get(key)
        if many is not None:
            return many
        return frozenset((self._one[key],))

    def get(self, key: str, default: Any = None) -> Any:
        """The values of ``key`` (a set; do not change it), else ``default``."""
        many = self._many.get(key)
        if many is not None:
            return many
        one = self._one.get(key, _MISSING)
        return default if one is _MISSING else frozenset((one,))

    def __contains__(self, key: object) -> bool:
        return key in self._one or key in self._many

    def __iter__(self) -> Iterator[str]:
        yield from self._one
        yield from self._many

    def __len__(self) -> int:
        return len(self._one) + len(self._many)

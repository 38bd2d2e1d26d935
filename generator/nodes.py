"""Positioned YAML values: what the loader produces and the validators read.

Every value keeps the 1-based line and column where it starts in its file, so any
later problem can point at it. Scalars are kept as the text the editor wrote
(never resolved by YAML 1.1 rules), so `no`, `0755` and `12:30` stay strings
until a validator asks for a number, a date or a flag.
"""
from __future__ import annotations

import pickle


class Node:
    __slots__ = ("line", "col")

    kind_name = "值"

    def __init__(self, line: int, col: int) -> None:
        self.line = line
        self.col = col


class Scalar(Node):
    """A scalar: its text, and whether it was written plain (unquoted)."""

    __slots__ = ("value", "plain", "start", "end")
    kind_name = "文字"

    def __init__(self, value: str, line: int, col: int, plain: bool, start: int, end: int) -> None:
        self.line = line  # Node's, not called: a million scalars in a provincial site
        self.col = col
        self.value = value
        self.plain = plain
        self.start = start  # character offsets of the scalar in its file's text
        self.end = end

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")

    def __repr__(self) -> str:
        return f"Scalar({self.value!r}@{self.line}:{self.col})"

    def __reduce__(self):  # see _with_items
        return Scalar, (self.value, self.line, self.col, self.plain, self.start, self.end)


class Mapping(Node):
    """A mapping: key text -> (key scalar, value node), in file order."""

    __slots__ = ("items",)
    kind_name = "映射（字段: 值）"

    def __init__(self, line: int, col: int) -> None:
        super().__init__(line, col)
        self.items: dict[str, tuple[Scalar, Node]] = {}

    def get(self, key: str) -> Node | None:
        pair = self.items.get(key)
        return pair[1] if pair else None

    def key_node(self, key: str) -> Scalar | None:
        pair = self.items.get(key)
        return pair[0] if pair else None

    def __repr__(self) -> str:
        return f"Mapping({list(self.items)}@{self.line}:{self.col})"

    def __reduce__(self):
        return _with_items, (Mapping, self.line, self.col, self.items)


class Sequence(Node):
    """A list of nodes."""

    __slots__ = ("items",)
    kind_name = "列表"

    def __init__(self, line: int, col: int) -> None:
        super().__init__(line, col)
        self.items: list[Node] = []

    def __repr__(self) -> str:
        return f"Sequence({len(self.items)}@{self.line}:{self.col})"

    def __reduce__(self):
        return _with_items, (Sequence, self.line, self.col, self.items)


def _with_items(kind: type, line: int, col: int, items):
    """A Mapping or Sequence as pickled. Nodes are pickled as their constructors' arguments:
    the parse cache holds 250,000 of them at provincial scale, and unpickling slot states
    (pickle's default) took a third more of a cached load's time."""
    node = kind(line, col)
    node.items = items
    return node


def iter_mappings(node: Node | None):
    """Every mapping at or below node."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, Mapping):
            yield current
            stack.extend(value for _key, value in current.items.values())
        elif isinstance(current, Sequence):
            stack.extend(current.items)


def scalar_values(node: Node | None) -> tuple[str, ...]:
    """The texts a field holds by reference: its value when it is a scalar, the scalar
    items when it is a list, nothing otherwise (null scalars included, as written)."""
    if isinstance(node, Scalar):
        return (node.value,)
    if isinstance(node, Sequence):
        return tuple(item.value for item in node.items if isinstance(item, Scalar))
    return ()


class PrunedMapping:
    """A record's few kept fields (pruned()), for pointing at them if a cross-file check
    fails: the pickle of their nodes, made into a Mapping only on first use, and the
    scalar_values of each, which the checks read.

    Why: the parse cache holds 40,000 records at provincial scale, and unpickling their
    nodes (250,000 objects) took about a third of a cached load's CPU; nearly every check
    passes without a position, so a load now unpickles one byte string per record. The
    blob comes from the same signed cache entry as the record (cachefile.py), or from
    this run."""

    __slots__ = ("_blob", "_fields", "_values", "_mapping")

    def __init__(self, blob: bytes, fields: tuple[str, ...], values: tuple[tuple[str, ...], ...],
                 mapping: Mapping | None = None) -> None:
        self._blob = blob
        self._fields = fields  # the fields kept, in the order of values
        self._values = values
        self._mapping = mapping

    @classmethod
    def of(cls, mapping: Mapping, keep: tuple[str, ...]) -> PrunedMapping:
        values = tuple(scalar_values(mapping.get(key)) for key in keep)
        return cls(pickle.dumps(mapping, protocol=pickle.HIGHEST_PROTOCOL), keep, values, mapping)

    def scalar_values(self, key: str) -> tuple[str, ...]:
        """scalar_values(self.get(key)), without making the nodes."""
        return self._values[self._fields.index(key)] if key in self._fields else ()

    @property
    def mapping(self) -> Mapping:
        if self._mapping is None:
            self._mapping = pickle.loads(self._blob)
        return self._mapping

    @property
    def line(self) -> int:
        return self.mapping.line

    @property
    def col(self) -> int:
        return self.mapping.col

    @property
    def items(self) -> dict[str, tuple[Scalar, Node]]:
        return self.mapping.items

    def get(self, key: str) -> Node | None:
        return self.mapping.get(key)

    def key_node(self, key: str) -> Scalar | None:
        return self.mapping.key_node(key)

    def __repr__(self) -> str:
        return f"PrunedMapping({list(self._fields)})"

    def __reduce__(self):  # the nodes stay a byte string until used
        return PrunedMapping, (self._blob, self._fields, self._values)


def pruned(mapping: Mapping, keep: tuple[str, ...]) -> PrunedMapping:
    """Only the fields in keep of mapping: what a record needs to point at its references
    later, without holding every node of its file in memory."""
    small = Mapping(mapping.line, mapping.col)
    small.items = {key: mapping.items[key] for key in keep if key in mapping.items}
    return PrunedMapping.of(small, keep)

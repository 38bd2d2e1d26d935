"""Problems found in a content repository: values that carry their location.

Validators never raise on bad input and never print: they add a Problem to a
Problems collection and go on, so an editor sees every problem in one run.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .messages import render
from .nodes import Node

ERROR = "error"
WARNING = "warning"
LEVEL_NAMES = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the site folder, with forward slashes
    line: int  # 1-based; 0 when the problem concerns a whole file that has no text
    col: int  # 1-based
    code: str
    level: str
    message: str
    hint: str

    def as_dict(self) -> dict:
        return asdict(self)


class Problems:
    """An ordered collection of problems, de-duplicated, sorted on output."""

    def __init__(self) -> None:
        self._items: list[Problem] = []
        self._seen: set[Problem] = set()

    def add(self, code: str, path: str, line: int, col: int, **values) -> Problem:
        level, message, hint = render(code, **values)
        problem = Problem(path, line, col, code, level, message, hint)
        if problem not in self._seen:
            self._seen.add(problem)
            self._items.append(problem)
        return problem

    def at(self, code: str, path: str, node: Node | None, **values) -> Problem:
        """Add a problem located at a node (or at the file's start when there is none)."""
        if node is None:
            return self.add(code, path, 1, 1, **values)
        return self.add(code, path, node.line, node.col, **values)

    def extend(self, problems) -> None:
        for problem in problems:
            if problem not in self._seen:
                self._seen.add(problem)
                self._items.append(problem)

    def sorted(self) -> list[Problem]:
        return sorted(self._items, key=lambda p: (p.path, p.line, p.col, p.code, p.message))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self._items if p.level == WARNING]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

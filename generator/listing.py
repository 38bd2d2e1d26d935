"""Paging long lists into pages with stable URLs: <base>, <base>page/2/, ..."""
from __future__ import annotations

from dataclasses import dataclass

from . import urls


@dataclass
class PageInfo:
    number: int
    count: int
    total: int
    previous: str | None
    next: str | None
    links: list  # (number, path or None for a gap)

    def key(self) -> list:
        """Every field as plain data, for the key of a deferred page context (deferred.py)."""
        return [self.number, self.count, self.total, self.previous, self.next, self.links]


def paginate(items: list, per_page: int, kind: str, facet: str | None = None, value: str | None = None):
    """Yield (path, items on the page, PageInfo) for every page; an empty list gives one page."""
    count = max(1, -(-len(items) // per_page))
    paths = [urls.listing(kind, n, facet, value) for n in range(1, count + 1)]
    for number in range(1, count + 1):
        shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
        links, last = [], 0
        for n in shown:
            if n - last == 2:  # a gap of one page: show that page rather than an ellipsis
                links.append((n - 1, paths[n - 2]))
            elif n - last > 2:
                links.append((0, None))  # an ellipsis
            links.append((n, paths[n - 1]))
            last = n
        info = PageInfo(number, count, len(items), paths[number - 2] if number > 1 else None,
                        paths[number] if number < count else None, links)
        yield paths[number - 1], items[(number - 1) * per_page: number * per_page], info

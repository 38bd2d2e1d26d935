"""Paging: stable URLs, and page links a reader can follow from any page."""
from __future__ import annotations

from generator.listing import paginate


def numbers(info):
    return [n if path else "…" for n, path in info.links]


def test_pages_have_stable_urls_and_short_link_rows():
    pages = list(paginate(list(range(95)), 10, "demands"))
    assert [path for path, _items, _info in pages][:3] == ["demands/", "demands/page/2/", "demands/page/3/"]
    first, fifth, last = pages[0][2], pages[4][2], pages[9][2]
    assert numbers(first) == [1, 2, 3, "…", 10]
    assert numbers(fifth) == [1, 2, 3, 4, 5, 6, 7, "…", 10]
    assert numbers(last) == [1, "…", 8, 9, 10]
    assert (fifth.previous, fifth.next) == ("demands/page/4/", "demands/page/6/")
    assert pages[9][1] == list(range(90, 95)) and last.next is None


def test_an_empty_list_is_one_page_and_facets_have_their_own_urls():
    [(path, items, info)] = list(paginate([], 20, "offers", "city", "371700"))
    assert (path, items, info.count, info.total) == ("offers/by/city/371700/", [], 1, 0)


def test_a_listing_pages_key_changes_when_a_record_it_shows_does():
    """An edit build renders only the listing pages whose key changed: every page that shows
    the edited record, on whatever page of whatever list it falls, must have a new key."""
    import dataclasses

    from generator.fingerprint import key_fingerprint
    from generator.site import load_site
    from generator.views_records import listing_pages
    from support import REPO

    site, _problems = load_site(REPO, use_cache=False)
    site.settings["per_page"] = 3  # many pages, so that records fall at every place of a page

    def prints() -> dict[str, str]:
        return {path: key_fingerprint(b"", template, path, context.key)
                for path, template, context in listing_pages(site)}

    before = prints()
    for record in site.demands[:12]:
        site.projects[record.id] = edited = dataclasses.replace(record, title=record.title + "（第二期）")
        after = prints()
        showing = {path for path, _template, context in listing_pages(site)
                   if any(shown is edited for shown in context.make()["records"])}
        assert showing and all(after[path] != before[path] for path in showing), record.id
        before = after

"""Pelican renders the Markdown content: policies, news, cases and fixed pages.

Pelican does what it is good at here — turning content files into article and
page objects, paging the section listings with stable URLs, writing them with
the theme's templates and copying the theme's static files. Its reader is ours:
the front matter was already loaded and validated with positions, and bodies
are rendered with the sanitising Markdown renderer. Any warning or error that
Pelican logs fails the build (Pelican itself may log and go on with exit 0).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
from pathlib import Path

from functools import cache

from .markup import render_markdown
from .theme import THEME, theme_globals

CHINA = dt.timezone(dt.timedelta(hours=8))
SECTION_TEMPLATES = {"policies": "policy", "news": "article", "cases": "case"}


class PelicanFailed(Exception):
    """Pelican logged a warning or an error; the messages say what."""


@cache
def content_reader() -> type:
    """The Pelican reader class. Pelican (0.2 s to import) is imported only when a build
    renders the Markdown sections: an edit build whose content did not change keeps them."""
    from pelican.readers import BaseReader

    class ContentReader(BaseReader):
        """Pelican reader for content/*/*.md that serves the pages zhuanlan has loaded."""

        enabled = True
        file_extensions = ["md"]

        def read(self, source_path):
            page = self.settings["ZHUANLAN_PAGES"][str(Path(source_path).resolve())]
            metadata = {"title": page.title, "slug": page.slug, "zl": page,
                        "summary": page.summary or ""}
            if page.published:
                metadata["date"] = dt.datetime.combine(page.published, dt.time(), CHINA)
            if page.section != "pages":
                metadata["category"] = self.process_metadata("category", page.section)
                metadata["template"] = SECTION_TEMPLATES[page.section]
            return render_markdown(page.body), metadata

    return ContentReader


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def pelican_settings(site, output: Path, per_page: int, siteurl: str) -> dict:
    """Pelican's settings for our content. Section feeds need absolute URLs: they are
    written only when the site's URL is known (--siteurl or site.yaml)."""
    from pelican.settings import read_settings

    pages = {str((site.root / page.path).resolve()): page for section in site.pages.values() for page in section}
    pattern = (
        (1, "{url}", "{save_as}"),
        (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
    )
    off = ""
    return read_settings(override={
        "PATH": str(site.root / "content"), "OUTPUT_PATH": str(output), "THEME": str(THEME),
        "SITEURL": "", "RELATIVE_URLS": True, "TIMEZONE": "Asia/Shanghai", "DEFAULT_LANG": "zh-CN",
        "ARTICLE_PATHS": ["policies", "news", "cases"], "PAGE_PATHS": ["pages"], "STATIC_PATHS": [],
        "ARTICLE_EXCLUDES": [], "PAGE_EXCLUDES": [], "IGNORE_FILES": [".*"],
        "USE_FOLDER_AS_CATEGORY": True, "DEFAULT_CATEGORY": "news",
        "ARTICLE_URL": "{category}/{slug}/", "ARTICLE_SAVE_AS": "{category}/{slug}/index.html",
        "PAGE_URL": "pages/{slug}/", "PAGE_SAVE_AS": "pages/{slug}/index.html",
        "CATEGORY_URL": "{slug}/", "CATEGORY_SAVE_AS": "{slug}/index.html",
        "ARTICLE_LANG_SAVE_AS": off, "PAGE_LANG_SAVE_AS": off, "DRAFT_SAVE_AS": off, "DRAFT_PAGE_SAVE_AS": off,
        "TAG_SAVE_AS": off, "TAGS_SAVE_AS": off, "AUTHOR_SAVE_AS": off, "AUTHORS_SAVE_AS": off,
        "CATEGORIES_SAVE_AS": off, "ARCHIVES_SAVE_AS": off, "INDEX_SAVE_AS": off, "DIRECT_TEMPLATES": [],
        "YEAR_ARCHIVE_SAVE_AS": off, "MONTH_ARCHIVE_SAVE_AS": off, "DAY_ARCHIVE_SAVE_AS": off,
        "FEED_ALL_ATOM": None, "FEED_ALL_RSS": None, "CATEGORY_FEED_ATOM": "feeds/{slug}.xml" if siteurl else None,
        "CATEGORY_FEED_RSS": None, "TRANSLATION_FEED_ATOM": None, "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None, "TAG_FEED_ATOM": None, "FEED_MAX_ITEMS": 50,
        "DEFAULT_PAGINATION": per_page, "PAGINATED_TEMPLATES": {"category": per_page},
        "PAGINATION_PATTERNS": pattern, "DEFAULT_ORPHANS": 0,
        "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False, "DELETE_OUTPUT_DIRECTORY": False,
        "THEME_STATIC_DIR": "theme", "THEME_STATIC_PATHS": ["static"], "OUTPUT_RETENTION": [],
        "READERS": {"md": content_reader(), "markdown": None, "mkd": None, "mdown": None,
                    "html": None, "htm": None, "rst": None},
        "PLUGINS": [], "PLUGIN_PATHS": [], "SLUGIFY_SOURCE": "basename",
        "JINJA_ENVIRONMENT": {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True},
        "JINJA_GLOBALS": {**theme_globals(site), "SECTION_FEEDS": bool(siteurl)}, "ZHUANLAN_PAGES": pages,
        "SITENAME": site.settings["title"], "TYPOGRIFY": False, "SUMMARY_MAX_LENGTH": None,
        "ARTICLE_ORDER_BY": "reversed-date", "PAGE_ORDER_BY": "basename", "NEWEST_FIRST_ARCHIVES": True,
        "FORMATTED_FIELDS": [], "WITH_FUTURE_DATES": True, "OUTPUT_SOURCES": False,
        "STATIC_CHECK_IF_MODIFIED": False, "LOCALE": ["C"], "FEED_DOMAIN": siteurl or None,
    })


def render_content(site, output: Path, siteurl: str) -> None:
    """Write the Markdown sections into output with Pelican; raise PelicanFailed on any warning."""
    from pelican import Pelican
    from pelican.log import LimitFilter

    collector = _Collector()
    LimitFilter._raised_messages.clear()  # Pelican drops repeats process-wide: every build must see all
    LimitFilter._group_count.clear()
    logger = logging.getLogger("pelican")
    logger.addHandler(collector)
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Pelican prints a summary; we print our own
            Pelican(pelican_settings(site, output, site.settings["per_page"], siteurl)).run()
    finally:
        logger.removeHandler(collector)
        logger.setLevel(previous)
    if collector.messages:
        raise PelicanFailed("\n".join(collector.messages))

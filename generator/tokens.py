"""Chinese text into the terms the match index and the editors' search compare.

Words come from jieba's dictionary segmentation (rjieba, the Rust port: the same
token lists as jieba, ten times faster, and no warnings on import). rjieba is
imported on first use, so that commands which never tokenise (check, new, …)
start without loading its dictionary.

A term is a word of two or more characters, or a Latin word; single Chinese
characters (的, 村, 为), numbers, punctuation, Markdown marks and the common
function words below are dropped: they say nothing about what a record is about.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from pathlib import Path

from . import cachefile

STOPWORDS = frozenset("""
以及 以下 以上 其中 通过 进行 开展 提供 希望 可以 可在 需要 每个 每期 每年 每月 每周 每人 一次 一个
不少 不足 左右 约为 主要 部分 相关 有关 等等 我们 他们 本地 当地 包括 方面 工作 内容 情况 其他 已经
并且 或者 以便 同时 由于 因此 为了 根据 按照 对于 关于 之间 之后 之前 目前 今年 全年 年度 示例
""".split())

# Words that describe nearly every project of the column, whatever it is about. They stay
# searchable, but the match index does not count them as shared subject matter: a demand
# for vegetable growers and an offer of livestream training both 组织…培训 and 指导.
GENERIC = frozenset("""
社会 组织 社会组织 培训 指导 服务 活动 人员 需求 帮扶 项目 乡村 乡村振兴 农村 村级 村民 企业 协会 会员
中心 范围 县区 各县区 能力 提升 建设 提高 支持 参与 志愿 推动 促进 实施 组建 计划 成员 对象 地点 形式
""".split())

_TERM = re.compile(r"(?:[^\W\d_]{2,}|[A-Za-z][A-Za-z0-9]*)\Z")  # letters only, 2+; or a Latin word


@functools.cache
def _cutter():
    import rjieba  # loads its dictionary: only when something is tokenised
    return rjieba.cut


def is_term(word: str) -> bool:
    return word not in STOPWORDS and _TERM.match(word) is not None


@functools.lru_cache(maxsize=1 << 17)
def _as_term(word: str) -> str | None:
    """The term a word stands for, or None (a memo: a text repeats few distinct words)."""
    return word.lower() if is_term(word) else None


def terms(text: str) -> list[str]:
    """The terms of a text, in order, repeated as often as they occur."""
    if not text:
        return []
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    found = map(_as_term, _cutter()(text))
    return [term for term in found if term is not None]


class TermCache:
    """The terms of texts tokenised before, kept between builds in one file of the
    site's cache folder, so that a build after an edit tokenises only what changed.
    Keys are digests of the texts; the file is rewritten with the texts this run used."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.known: dict[bytes, str] = {}
        self.used: dict[bytes, str] = {}
        self.computed = 0
        if path is not None:
            loaded = cachefile.load(path)
            if isinstance(loaded, dict):
                self.known = loaded

    def terms(self, text: str) -> list[str]:
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        joined = self.used.get(key)
        if joined is None:
            joined = self.known.get(key)
            if joined is None:
                joined = " ".join(terms(text))  # a term holds letters only: no spaces
                self.computed += 1
            self.used[key] = joined
        return joined.split()

    def save(self) -> None:
        if self.path is None or (not self.computed and len(self.used) == len(self.known)):
            return
        cachefile.dump(self.path, self.used)
        for other in self.path.parent.glob("*.pickle"):  # the terms of other code versions
            if other != self.path:
                other.unlink(missing_ok=True)

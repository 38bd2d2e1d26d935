"""W223 finds near-duplicate demands by the character pairs they share. The pairs are
counted with numpy for a whole county at once; they must be exactly those of the plain
definition (NFKC, letters and numbers only, each two neighbours), so that the warnings
an editor sees name the same demands with the same percentage."""
from __future__ import annotations

import unicodedata
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings, strategies as st

from generator import duplicates


def plain_pairs(text: str) -> frozenset[str]:
    chars = [ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch)[0] in "LN"]
    return frozenset(a + b for a, b in zip(chars, chars[1:]))


def plain_warnings(texts: list[str]) -> list[tuple[int, int, int]]:
    """(later, earlier, percent) for each text repeating an earlier one: the first such."""
    pairs = [plain_pairs(text) for text in texts]
    found = []
    for later in range(1, len(texts)):
        for earlier in range(later):
            a, b = pairs[later], pairs[earlier]
            shared = len(a & b)
            if a and b and shared / (len(a) + len(b) - shared) >= duplicates.THRESHOLD:
                found.append((later, earlier, int(shared / (len(a) + len(b) - shared) * 100)))
                break
    return found


# Chinese, full-width letters, digits and punctuation (NFKC folds them), combining marks,
# compatibility characters (㈠ is "(一)" after NFKC), a character beyond the BMP, spaces
CHARACTERS = list("村养老服务站互助运营支持招募护理员，。、（）ＡＢ１２３ab12 \n\t-㈠①ﬁ") + ["\u00e9", "e", "\u0301", "𠀀", "😀"]
WORDS = ["互助养老", "服务站", "运营支持", "护理员招募", "ＡＢ１２", "㈠", "e\u0301", "𠀀😀", "，", "　"]


@st.composite
def county(draw):
    """A county's texts, many of them rewordings of each other."""
    base = draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=8))
    texts = []
    for _ in range(draw(st.integers(min_value=1, max_value=9))):
        words = list(base)
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            words.insert(draw(st.integers(min_value=0, max_value=len(words))),
                         draw(st.text(alphabet=st.sampled_from(CHARACTERS), max_size=6)))
        texts.append("".join(words))
    return texts


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(county())
def test_the_same_warnings_as_the_plain_definition(texts):
    group = [SimpleNamespace(title=text, summary="") for text in texts]
    assert duplicates._pairs(group) == plain_warnings(texts)


def test_title_and_summary_are_one_text_and_a_reworded_demand_is_found():
    group = [SimpleNamespace(title="互助养老服务站", summary="运营支持，护理员招募"),
             SimpleNamespace(title="村级互助养老服务站", summary="运营支持与护理员招募"),
             SimpleNamespace(title="高标准农田", summary="灌溉设施维修")]
    assert duplicates._pairs(group) == plain_warnings([d.title + d.summary for d in group]) == [(1, 0, 73)]

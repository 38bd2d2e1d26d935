"""Never a traceback: random and mutated YAML, in every kind of input file,
always ends in problems, never in an exception."""
from __future__ import annotations

import shutil

from hypothesis import HealthCheck, given, settings, strategies as st

from generator.site import load_site
from support import BASE, REPO

TARGETS = ["data/projects/371721.yaml", "data/organizations.yaml", "data/regions.yaml",
           "data/vocabulary.yaml", "site.yaml", "content/policies/plan.md"]
SEEDS = {target: (BASE / target).read_bytes() for target in TARGETS}
SEEDS["sample"] = (REPO / "data/organizations.yaml").read_bytes()[:4000]
YAML_BITS = [b"\n", b": ", b"- ", b"  ", b"\t", b"&a ", b"*a", b"!!str ", b"{", b"}", b"[", b"]", b'"', b"'",
             b"|\n", b">-\n", b"---\n", b"...\n", b"? ", b"#", b"%YAML 1.1\n", b"\xef\xbb\xbf", b"\xff\xfe",
             b"\xd6\xd0", b"\x00", b"\xe2\x80\x8b", b"2025-02-30", b"13912345678", b"\xef\xbc\x93", b"null",
             b"~", b"no", b"0755", b"12:30", b"1e9", b"<<: ", b"id", b"kind: demand", b"\r\n", b"\\"]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    target = draw(st.sampled_from(TARGETS))
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))] if draw(st.booleans()) else SEEDS[target])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "random"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(YAML_BITS))
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif action == "replace":
            data[at:at + 1] = draw(st.sampled_from(YAML_BITS))
        else:
            data[at:at] = draw(st.binary(max_size=12))
    return target, bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=mutated())
def test_mutated_files_give_problems_never_exceptions(tmp_path_factory, case):
    target, data = case
    site = tmp_path_factory.mktemp("fuzz") / "site"
    shutil.copytree(BASE, site)
    (site / target).write_bytes(data)
    _site, problems = load_site(site, use_cache=False)
    for problem in problems:
        assert problem.line >= 0 and problem.col >= 0 and problem.message and problem.hint


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list("- :\n\t&*!{}[]\"'|>#?%,abc中文0123\u200b\u00e9")), max_size=200))
def test_random_yaml_text_gives_problems_never_exceptions(tmp_path_factory, text):
    site = tmp_path_factory.mktemp("fuzz") / "site"
    shutil.copytree(BASE, site)
    (site / "data/projects/371721.yaml").write_text(text, encoding="utf-8")
    load_site(site, use_cache=False)

"""The theme's templates compile to faster Python (generator/template_code.py) and render
exactly what Jinja2's own code renders: every page of the sample site, and templates that
use what the faster code treats differently (escaping, calls of globals)."""
from __future__ import annotations

from urllib.parse import urlparse

import jinja2
import pytest
from jinja2 import DictLoader, Environment, StrictUndefined, pass_context, pass_environment
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

from generator import urls
from generator.build import reference_date
from generator.deferred import made
from generator.matchindex import cached_matches
from generator.search_stage import search_page
from generator.site import load_site
from generator.template_code import ThemeEnvironment
from generator.theme import environment
from generator.views_places import place_pages
from generator.views_records import listing_pages, record_pages
from support import SITEURL, build_sample


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("template-code"))


def test_every_page_of_the_sample_site_is_what_jinja2s_own_code_renders(built):
    site, _problems = load_site(built.parent / "site", use_cache=False)
    today = reference_date(site)
    matches, _store = cached_matches(site, today, use_cache=False)
    plain = environment(site)
    plain.code_generator_class = CodeGenerator  # Jinja2's own
    specs = [*record_pages(site, matches), *listing_pages(site), *search_page(site),
             *place_pages(site, today, urlparse(SITEURL).path.rstrip("/"))]
    assert len(specs) > 200 and {template for _path, template, _context in specs} >= {
        "demand.html", "offer.html", "org.html", "listing.html", "region.html", "regions.html", "field.html"}
    for path, template, context in specs:
        name = urls.output_file(path)
        text = plain.get_template(template).render(output_file=name, root="../" * name.count("/"), **made(context))
        assert (built / name).read_text(encoding="utf-8") == text, name


def test_a_record_page_calls_no_global_through_jinja2s_general_call(built, monkeypatch):
    """The faster calls are taken: were Jinja2 to change how a template resolves its names,
    every call would go the general way again, as slow as before, and this fails."""
    site, _problems = load_site(built.parent / "site", use_cache=False)
    matches, _store = cached_matches(site, reference_date(site), use_cache=False)
    path, template, context = next(spec for spec in record_pages(site, matches) if spec[1] == "demand.html")
    globals_called = []
    general = jinja2.runtime.Context.call

    def counted(self, function, *args, **kwargs):
        if any(function is value for value in self.environment.globals.values()):
            globals_called.append(function)
        return general(self, function, *args, **kwargs)

    monkeypatch.setattr(jinja2.runtime.Context, "call", counted)
    name = urls.output_file(path)
    text = environment(site).get_template(template).render(output_file=name, root="../" * name.count("/"),
                                                              **made(context))
    assert "承接" in text or "推荐对接" in text
    assert globals_called == []


@pass_context
def where(context, label):
    return f"{label}:{context.get('y', '-')}"


@pass_environment
def kind(environment, label):
    return f"{label}:{isinstance(environment, Environment)}"


def shout(text):
    return text.upper() + "!"


SNIPPETS = {
    "escaping": "{{ text }}|{{ safe }}|{{ number }}|{{ none }}|{{ '<b>' ~ text }}|{{ text|e }}|{{ safe|upper }}",
    "plain call": "{{ shout(text) }}{{ shout('a') ~ shout('b') }}",
    "context call": "{{ where('top') }}{% for x in [1, 2] %}{{ where(x) }}{% endfor %}",
    "set in a loop": "{% for x in [1, 2] %}{% set y = 'loop' ~ x %}{{ where(x) }}{% endfor %}",
    "set in a block": "{% block b %}{% set y = 'block' %}{{ where('b') }}{% endblock %}",
    "environment call": "{{ kind('e') }}",
    "shadowed by the page": "{{ shout(text) }}",
    "set in the template": "{% set shout = lower %}{{ shout(text) }}",
    "macro and caller": ("{% macro box(t) %}<{{ t }}>{{ caller() }}{% endmacro %}"
                         "{% call box(text) %}{{ shout('in') }}{% endcall %}"),
    "set block": "{% set held %}{{ text }}{{ shout(text) }}{% endset %}{{ held }}|{{ held|length }}",
    "filter block": "{% filter upper %}{{ text }}{% endfilter %}",
    "include": "{% include 'part' %}",
    "undefined global": "{{ missing_function(text) }}",
}
VALUES = {"text": "<a href='x'>&\"", "safe": Markup("<i>ok</i>"), "number": 7, "none": None, "lower": str.lower}


def _render(environment_class, snippet: str, page: dict):
    env = environment_class(loader=DictLoader({"page": SNIPPETS[snippet], "part": "[{{ shout(text) }}{{ where('p') }}]"}),
                            autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(shout=shout, where=where, kind=kind)
    try:
        return env.get_template("page").render(**page)
    except Exception as error:  # the same error, with the same message
        return f"{type(error).__name__}: {error}"


@pytest.mark.parametrize("snippet", sorted(SNIPPETS))
def test_templates_render_as_with_jinja2s_own_code(snippet):
    page = dict(VALUES, shout=where) if snippet == "shadowed by the page" else VALUES  # called with the context
    ours = _render(ThemeEnvironment, snippet, page)
    assert ours == _render(Environment, snippet, page)
    assert ours  # something was rendered


def test_a_global_set_anew_after_compiling_is_the_one_called():
    env = ThemeEnvironment(loader=DictLoader({"page": "{{ shout('a') }}"}), autoescape=True)
    env.globals["shout"] = shout
    template = env.get_template("page")
    assert template.render() == "A!"
    template.globals["shout"] = where  # now a pass_context function: called with the context
    assert template.render(y="why") == "a:why"

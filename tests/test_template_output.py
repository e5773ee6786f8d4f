"""The environments' code generator (template_output.py) outputs exactly what Jinja's own does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from builder import templating
from builder.template_output import escape_output
from builder.templating import Environment

TEMPLATE = """\
{% macro card(title) %}<h2>{{ title }}</h2>{% endmacro %}
{% set block %}<b>{{ value }}</b>{% endset %}
out: {{ value }}
attr: <a title="{{ value }}">x</a>
filtered: {{ value|e }} {{ value|string }} {{ "%s!"|format(value) }}
macro: {{ card(value) }}
set block: {{ block }}
concat: {{ value ~ "<&>" }}
{% autoescape false %}raw: {{ value }}{% endautoescape %}
{% for item in [value, value] %}[{{ item }}]{% endfor %}
"""


class Html:
    def __html__(self) -> str:
        return "<i>own html</i>"

    def __str__(self) -> str:
        return "<never shown>"


VALUES: list[Any] = [
    "plain",
    "<script>alert('x') & \"y\"</script>",
    "中文 <标题> & ‘引号’",
    "",
    Markup("<em>safe</em> &amp;"),
    Markup(""),
    42,
    3.5,
    None,
    True,
    Html(),
    ["<a>", Markup("<b>")],
]


def _pair(**options: Any) -> tuple[jinja2.Environment, jinja2.Environment]:
    return jinja2.Environment(autoescape=True, **options), Environment(autoescape=True, **options)


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_every_kind_of_value_is_output_as_jinja_outputs_it(value: Any) -> None:
    jinjas, ours = _pair()
    expected = jinjas.from_string(TEMPLATE).render(value=value)
    assert ours.from_string(TEMPLATE).render(value=value) == expected


def test_the_faster_escape_is_the_one_compiled_in() -> None:
    """Without this the test above would also pass with Jinja's own generator."""
    _, ours = _pair()
    source = ours.compile("{{ x }}", raw=True)
    assert "escape_output(" in source
    assert "escape(" not in source.replace("escape_output(", "")


def test_volatile_and_unescaped_templates_keep_jinjas_code() -> None:
    jinjas, ours = _pair()
    # autoescape decided at render time: Jinja's conditional expression, unchanged
    volatile = "{% autoescape flag %}{{ x }}{% endautoescape %}"
    assert "escape_output(" not in ours.compile(volatile, raw=True)
    for flag in (True, False):
        assert ours.from_string(volatile).render(flag=flag, x="<&>") == jinjas.from_string(
            volatile
        ).render(flag=flag, x="<&>")
    plain = Environment(autoescape=False)
    assert "escape_output(" not in plain.compile("{{ x }}", raw=True)
    assert plain.from_string("{{ x }}").render(x="<&>") == "<&>"


def test_escape_output() -> None:
    assert escape_output("<a href='x'>&</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
    assert type(escape_output("<")) is str
    safe = Markup("<b>")
    assert escape_output(safe) is safe
    assert escape_output(Html()) == "<i>own html</i>"
    assert escape_output(7) == "7"


def test_strict_undefined_still_fails() -> None:
    ours = Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError):
        ours.from_string("{{ missing }}").render()


def test_template_errors_keep_their_line() -> None:
    """The extra import line at the top of the compiled module must not shift the template
    lines Jinja reports (templating.py reads them from the traceback)."""
    ours = Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = ours.from_string("one\ntwo\n{{ missing.attr }}\n")
    try:
        template.render()
    except jinja2.UndefinedError as exc:
        tb = exc.__traceback__
        lines = []
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "<template>":
                lines.append(tb.tb_lineno)
            tb = tb.tb_next
        assert lines == [3]
    else:  # pragma: no cover
        pytest.fail("no error")


def test_compiled_templates_are_kept_for_one_builder_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template compiled by another version of the builder (another code generator) is
    compiled again, not loaded: Jinja's own check compares only the template's source."""
    compiled: list[str] = []

    class Counting(Environment):
        def _compile(self, source: str, filename: str) -> Any:
            compiled.append(filename)
            return super()._compile(source, filename)

    def render(version: str) -> str:
        monkeypatch.setattr(templating, "code_version", lambda: version)
        env = Counting(
            loader=jinja2.DictLoader({"page.html": "<p>{{ x }}</p>"}),
            autoescape=True,
            bytecode_cache=templating.CompiledTemplates(str(tmp_path)),
        )
        return env.get_template("page.html").render(x="<&>")

    assert render("one") == "<p>&lt;&amp;&gt;</p>"
    assert render("one") == "<p>&lt;&amp;&gt;</p>"
    assert len(compiled) == 1  # the second environment loaded the first one's code
    assert render("two") == "<p>&lt;&amp;&gt;</p>"
    assert len(compiled) == 2
    assert len(list(tmp_path.iterdir())) == 1  # replaced, not piled up

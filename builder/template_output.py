"""How compiled templates escape what they output: the same text as Jinja's, without a `Markup`
made for each `{{ }}`.

With autoescape on, Jinja compiles `{{ x }}` to `escape(x)`: markupsafe's `escape`, which
returns a `Markup`, only for the page generator to join it into a plain string at once. At
2,000 briefings that is a million `Markup` objects a build, and making them (`Markup.__new__`,
a Python method) was a tenth of the render stage's time. A `{{ }}` that is output needs the
escaped text, not its type: `escape_output` returns markupsafe's escaped text as a `str` for a
`str`, an already safe `Markup` as it is, and leaves every other value (numbers, objects with
`__html__`, undefined values) to `escape`. Everywhere else (filters, `{% set %}` blocks, macro
results, `|e`) Jinja's own code is untouched, so what is safe and what is escaped does not
change; tests/test_template_output.py renders every kind of value both ways.

The extension point is Jinja's documented `Environment.code_generator_class`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import markupsafe
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup, escape

# markupsafe's C escaping of a str, without the Markup around it. markupsafe 3 has it, not as
# public API; without it, escaping takes the public way.
_escape_str: Callable[[str], str] = getattr(markupsafe, "_escape_inner", None) or (
    lambda s: str(escape(s))
)


def escape_output(value: Any) -> str:
    """`str(markupsafe.escape(value))`, with no Markup made for the two common kinds."""
    kind = value.__class__
    if kind is str:
        return _escape_str(value)
    if kind is Markup:
        return value  # type: ignore[no-any-return]
    return escape(value)


class OutputCodeGenerator(CodeGenerator):
    """Jinja's code generator, with `escape_output` for the `{{ }}` of autoescaped templates."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        self.writeline(f"from {__name__} import escape_output")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("escape_output(")
            if finalize.src is not None:
                self.write(finalize.src)
            return
        super()._output_child_pre(node, frame, finalize)

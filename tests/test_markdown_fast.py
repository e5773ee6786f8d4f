"""markdown_fast.py (the Rust port of markdown-it) held to markdown.py's markdown-it-py rendering:
the same Body (HTML, headings, links to headings) and the same errors, on bodies of every shape
an editor writes and on those where the two libraries part."""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder import links, markdown, markdown_fast
from builder.errors import Report
from builder.images import Refused
from tests.bench.corpus import _body

HERE = Path(__file__).resolve().parent
PATH = Path("/site/content/articles/2024/a.md")

# Written for this test: each line of the briefing-writer's Markdown, and the corners.
SHAPES = [
    "Plain prose with *emphasis*, **strong**, `code` and a [link](https://example.org/a?b=1&c=2).",
    "## Key points\n\n- one\n- two\n\n### 要点\n\n1. 第一\n2. 第二\n",
    "## Same\n\n## Same\n\n### Same\n\n## same-1\n",  # de-duplicated slugs, and a clash
    "## !!!\n\n## ???\n\n## ok\n",  # empty slugs: an id="" and no heading recorded
    "# Title\n\n#### Deep\n\n##### Deeper\n\n###### Deepest\n",  # no ids outside h2-h3
    "## The `GDP` of **Jiaxing** & *Huzhou* — 2024\n",
    "## A [linked](../2023/b.md) heading with ![an image](x.png) in it\n",
    "## Entities &copy; &amp; &#169; and escapes \\* \\_ \\# \\\\\n",
    "## Trailing hashes ##\n\nSetext heading\n---\n\nAnother one\n===\n",
    "Two line\nsetext heading\n---\n",  # a soft break inside a heading
    "> quoted\n>\n> - with a list\n\n> \n\n>\n",  # an empty block quote
    '```python\n<h2>not a heading</h2>\n<a href="x.md">not a link</a>\n```\n',
    '    indented <a href="y.md">code</a>\n',
    "| Item | Value |\n| --- | ---: |\n| [B](../2023/b.md) | 290.3亿 |\n| `x` | **1** |\n",
    'See [b](../2023/b.md), [c](c.md "a title with \\"quotes\\"") and [q](../2023/b.md?x=1).',
    "A link to a heading: [b](../2023/b.md#key-points), and [empty](../2023/b.md#).",
    "A [broken link](../2023/broken.md) and [another](nowhere.md).",
    "A link to a briefing that failed to load: [u](../2023/unloaded.md).\n",
    "[Spaces](../2023/with%20space.md) and [中文](../2023/中文.md).",
    '<b onclick="x()">raw</b> <script>alert(1)</script> 5 < 6',
    "<https://example.org/a%CE%B2> and <mail@example.org>",
    '[ref]\n\n[ref]: ../2023/b.md "title"\n',
    "Windows\r\nline\rends and a NUL \0 here\r\n",
    "[snowman](//☃.net/) and [puny](http://xn--n3h.net/)",
    '![image](../img/a.png "t") and ![](javascript:alert(1)) and [js](javascript:alert(1))',
    "Hard  \nbreak and soft\nbreak, a\\\nbackslash break.",
    "* * *\n\n- [ ] not a task list\n\n~~not struck~~ www.not-linked.org",
    "  ## indented heading\n\n    ## code, not a heading\n",
    "## 2024年 GDP 增长 5.2%\n\n## 2024年 GDP 增长 5.2%\n",
    '![ok](../img/a.png) and ![titled](b.jpg "A title") in [![linked](c.png)](../2023/b.md)',
    "![refused](../../../secret.png) and ![remote](https://example.org/r.png)",
    "![inline data](data:image/png;base64,iVBORw0KGgo=) ![bad data](data:text/html;base64,PGI+)",
    "An image in a heading:\n\n## ![logo](logo.png) Jiaxing\n",
    "",
    "\n\n\n",
]


def _resolve(target: Path) -> str | None:
    if "broken" in target.name or "nowhere" in target.name:
        return None
    if "unloaded" in target.name:
        return links.NOT_LOADED
    # A URL that needs escaping in an attribute, to hold both renderers' escaping of it.
    return f'../{target.stem}/index.html?v=1&amp="q"'


def _image(src: str) -> str | Refused:
    """Refuses as images.resolve does: an error for a file outside, a warning for a remote one."""
    if "secret" in src or src.startswith(("file:", "javascript:", "data:text")):
        return Refused(f"image '{src}' is refused", "use an image inside content/")
    if src.startswith("https:"):
        return Refused(f"remote image '{src}' left out", "save it under content/", error=False)
    return f'../../img/{Path(src).stem}.1a2b.png?x=1&y="2"'


def _corpus_bodies() -> Iterator[str]:
    rng = random.Random(7)
    for i in range(150):
        yield _body(rng, i, 2020, [(j, 2019 + j % 2) for j in range(i)])
    # The project's briefings and the test sites' (the invalid ones' too, read as they can be).
    for path in sorted([*(HERE.parent / "content").rglob("*.md"), *(HERE / "sites").rglob("*.md")]):
        if path.is_file():
            yield path.read_bytes().decode("utf-8", "replace").split("\n---\n", 1)[-1]


class _Asked:
    """The resolvers a page passes, noting what they were asked."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def link(self, target: Path) -> str | None:
        self.asked.add(str(target))
        return _resolve(target)

    def image(self, src: str) -> str | Refused:
        self.asked.add(src)
        return _image(src)


def _render(source: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    """The body, its errors and what the resolvers were asked, with images resolved as a site
    page does and without (markdown.render's other callers)."""
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(markdown_fast, "_PARSER", None)
        found = []
        for with_images in (True, False):
            report = Report(Path("/site"))
            asked = _Asked()
            images = asked.image if with_images else None
            body = markdown.render(source, PATH, 3, asked.link, report, images)
            found.append((body, report.lines(), sorted(asked.asked)))
        return tuple(found)


@pytest.mark.parametrize("source", SHAPES)
def test_every_shape_renders_as_markdown_it_py_does(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _render(source, True, monkeypatch) == _render(source, False, monkeypatch)


def test_archive_bodies_render_as_markdown_it_py_does(monkeypatch: pytest.MonkeyPatch) -> None:
    bodies = list(_corpus_bodies())
    assert len(bodies) > 160
    for source in bodies:
        assert _render(source, True, monkeypatch) == _render(source, False, monkeypatch), source


def test_the_fast_way_is_taken_for_ordinary_bodies() -> None:
    """Not vacuous: most bodies are rendered by the port, not sent back."""
    assert markdown_fast.available()
    bodies = list(_corpus_bodies())
    taken = [b for b in bodies if markdown_fast.render(b, PATH, _resolve, _image) is not None]
    assert len(taken) > 0.9 * len(bodies)
    assert markdown_fast.render(SHAPES[1], PATH, _resolve) is not None
    assert markdown_fast.render("![ok](a.png)\n", PATH, _resolve, _image) is not None
    _html, headings = markdown_fast.render(SHAPES[2], PATH, _resolve) or ("", ())
    assert [h[2] for h in headings] == ["same", "same-1", "same-2", "same-1-1"]


# Where the port alone would part from markdown-it-py: each is sent back, and each rule is needed.
PARTING = [
    "<http://example.com/α%CE%B2γ%CE%B4>\n",  # autolink text decoded by markdown-it-py
    "<http://☃.net/>\n",  # punycoded host
    "[](//☃.net/)\n",
    "> [foo]: bar\n[foo]\n",  # an empty block quote (a definition inside it)
    ">\n",
    '[foo]: /url "\nhello\n\\\n\\\nworld\n"\n\n[foo]\n',  # a title over several lines
    ">" * 60 + " nested beyond markdown-it-py's limit\n",
    "".join("  " * i + "- x\n" for i in range(60)),
    "".join("> " * i + "- " * i + "x\n" for i in range(30)),
    "~~~\nan open fence and no final newline",
    "> > \t indented code after a nested quote, by a tab\n",
    "> a quote whose lazy line is\n2) a list that may not interrupt it\n",
    "| a | b |\n| --- | --- |\n| 1 | 2 |\n2) a list ends the table for markdown-it-py\n",
    "A line with a pipe | in it\n---\n",  # a one-column table, or a heading
    "1. -\n | --\n",  # a list, or a table
]


@pytest.mark.parametrize("source", PARTING)
def test_where_the_port_parts_the_body_is_sent_back(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parser = markdown_fast._PARSER
    assert parser is not None
    reference = markdown.make_parser().render(source)
    assert parser.render(source) != reference  # the rule guards a real difference
    assert markdown_fast.render(source, PATH, _resolve) is None
    assert _render(source, True, monkeypatch) == _render(source, False, monkeypatch)


def test_a_panic_of_the_port_is_sent_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """The port panics on a backtick after an unclosed `[` (markdown-it crate issue #40):
    such a body is sent back before it is tried, and any other panic is caught."""
    parser = markdown_fast._PARSER
    assert parser is not None
    with pytest.raises(BaseException, match="index out of bounds"):
        parser.render("see [`the code\n")
    assert markdown_fast.render("see [`the code\n", PATH, _resolve) is None
    assert _render("see [`the code\n", True, monkeypatch) == _render(
        "see [`the code\n", False, monkeypatch
    )

    class Panic(BaseException):  # what pyo3 raises for a Rust panic: not an Exception
        pass

    class Panicking:
        def render(self, source: str) -> str:
            raise Panic("index out of bounds")

    monkeypatch.setattr(markdown_fast, "_PARSER", Panicking())
    assert markdown_fast.render("plain text\n", PATH, _resolve) is None
    body = markdown.render("plain text\n", PATH, 3, _resolve, Report(Path("/site")))
    assert body.html == "<p>plain text</p>\n"


def test_links_that_need_a_position_are_sent_back() -> None:
    """A broken link is an error at its line and column, and a link to a heading is checked
    later with its position: only markdown-it-py's tokens know where they are."""
    assert markdown_fast.render("[b](../2023/broken.md)\n", PATH, _resolve) is None
    assert markdown_fast.render("[b](../2023/b.md#key)\n", PATH, _resolve) is None
    assert markdown_fast.render("[u](../2023/unloaded.md)\n", PATH, _resolve) is None
    assert markdown_fast.render("[b](../2023/b.md)\n", PATH, _resolve) is not None
    # A refused image is an error or a warning at its position; so is an image (or a link) of a
    # URL markdown-it refuses: markdown.py parses those to name them, the port leaves text.
    for source in ["![r](secret.png)", "![w](https://example.org/w.png)", "![f](file:///x.png)"]:
        assert markdown_fast.render(source + "\n", PATH, _resolve, _image) is None
    assert markdown_fast.render("[js](javascript:alert(1))\n", PATH, _resolve, _image) is None


def test_random_mixtures_render_as_markdown_it_py_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shapes cut and spliced at random (fixed seed): constructs meeting in ways not written."""
    pieces = [s for s in SHAPES if s]
    rng = random.Random(zlib.crc32(b"markdown_fast"))
    for _ in range(300):
        chosen = [rng.choice(pieces) for _ in range(rng.randint(1, 4))]
        cut = [p[rng.randrange(len(p)) :] if rng.random() < 0.3 else p for p in chosen]
        source = rng.choice(["\n", "\n\n", "", " "]).join(cut)
        assert _render(source, True, monkeypatch) == _render(source, False, monkeypatch), source


_INLINE = [
    "word", "growth", "投资", "290.3亿元", "5.2%", "*em*", "**strong**", "***both***", "_u_",
    "*a **b** c*", "*unclosed", "**unclosed", "_", "*", "~", "\\*", "\\_", "\\[", "\\\\",
    "&amp;", "&copy;", "&#x4e2d;", "&bogus;", "[l](b.md)", "[l](../2023/c.md)",
    '[l](http://a.b/c?d=1&e=2 "title")', "[l](/abs/path)", "[中](中文.md)", "[l](a%20b.md)",
    "![i](p.png)", '![中 图](图.png "题")', "[![i](p.png)](b.md)", "[empty]()", "[l][ref]",
    "[", "]", "(", ")", '"', "--", "...", "（注）", "“引号”", "—", "#", "1.", "-", "+", "=",
    "snake_case_word", "2*3*4", "http://bare.url/x", "a@b.c", "100%", "`code`",
]  # fmt: skip


def _generated(rng: random.Random) -> str:
    """A body of the blocks briefings are written in, filled with inline text of every kind."""

    def line() -> str:
        return " ".join(rng.choice(_INLINE) for _ in range(rng.randint(1, 10)))

    blocks = []
    for _ in range(rng.randint(1, 8)):
        kind = rng.randrange(10)
        if kind == 0:
            blocks.append("#" * rng.randint(1, 6) + " " + line() + rng.choice(["", " ##"]))
        elif kind == 1:
            blocks.append(line() + "\n" + rng.choice(["===", "---"]))
        elif kind == 2:
            marks = ["- ", "* ", "1. ", "2. ", "1) "]
            blocks.append("\n".join(rng.choice(marks) + line() for _ in range(rng.randint(1, 4))))
        elif kind == 3:
            items = ("  " * rng.randint(0, 3) + "- " + line() for _ in range(rng.randint(1, 5)))
            blocks.append("\n".join(items))
        elif kind == 4:
            n = rng.randint(1, 4)
            rows = ["| " + " | ".join(line() for _ in range(n)) + " |"]
            rows.append("|" + "|".join(rng.choice(["---", ":--", "--:", ":-:"]) for _ in range(n)))
            for _ in range(rng.randint(0, 4)):
                rows.append("| " + " | ".join(line() for _ in range(rng.randint(1, n + 1))) + " |")
            blocks.append("\n".join(rows))
        elif kind == 5:
            blocks.append("\n".join("> " + line() for _ in range(rng.randint(1, 3))))
        elif kind == 6:
            blocks.append("~~~" + rng.choice(["", "text"]) + "\n" + line() + "\n~~~")
        elif kind == 7:
            blocks.append(rng.choice(["    " + line(), "---", "***"]))
        else:
            blocks.append("\n".join(line() for _ in range(rng.randint(1, 3))))
    return "\n\n".join(blocks) + "\n"


def test_generated_bodies_render_as_markdown_it_py_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bodies made from the blocks briefings use (fixed seed): most take the fast way."""
    rng = random.Random(2026)
    taken = 0
    for _ in range(400):
        source = _generated(rng)
        taken += markdown_fast.render(source, PATH, _resolve, _image) is not None
        assert _render(source, True, monkeypatch) == _render(source, False, monkeypatch), source
    assert taken > 100

"""markdown_fast.py (the Rust port of markdown-it) held to markdown.py's markdown-it-py rendering:
the same Body (HTML, headings, links to headings) and the same errors, on bodies of every shape
an editor writes and on those where the two libraries part."""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder import markdown, markdown_fast
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
    assert markdown_fast.render("![ok](a.png)", PATH, _resolve, _image) is not None
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


def test_links_that_need_a_position_are_sent_back() -> None:
    """A broken link is an error at its line and column, and a link to a heading is checked
    later with its position: only markdown-it-py's tokens know where they are."""
    assert markdown_fast.render("[b](../2023/broken.md)", PATH, _resolve) is None
    assert markdown_fast.render("[b](../2023/b.md#key)", PATH, _resolve) is None
    assert markdown_fast.render("[b](../2023/b.md)", PATH, _resolve) is not None
    # A refused image is an error or a warning at its position; so is an image (or a link) of a
    # URL markdown-it refuses: markdown.py parses those to name them, the port leaves text.
    for source in ["![r](secret.png)", "![w](https://example.org/w.png)", "![f](file:///x.png)"]:
        assert markdown_fast.render(source, PATH, _resolve, _image) is None
    assert markdown_fast.render("[js](javascript:alert(1))", PATH, _resolve, _image) is None


def test_random_mixtures_render_as_markdown_it_py_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shapes cut and spliced at random (fixed seed): constructs meeting in ways not written."""
    pieces = [s for s in SHAPES if s]
    rng = random.Random(zlib.crc32(b"markdown_fast"))
    for _ in range(300):
        chosen = [rng.choice(pieces) for _ in range(rng.randint(1, 4))]
        cut = [p[rng.randrange(len(p)) :] if rng.random() < 0.3 else p for p in chosen]
        source = rng.choice(["\n", "\n\n", "", " "]).join(cut)
        assert _render(source, True, monkeypatch) == _render(source, False, monkeypatch), source

from __future__ import annotations

from pathlib import Path

from builder.errors import Report
from builder.yamlsrc import load_yaml

F = Path("/p/x.yaml")


def load(text: str, first_line: int = 1):  # type: ignore[no-untyped-def]
    report = Report(Path("/p"))
    return load_yaml(text, F, report, first_line), report.lines()


def test_positions_of_keys_and_values_are_one_based_and_offset() -> None:
    result, errors = load("a: 1\nb:\n  - x\n  - {c: d}\n", first_line=2)
    assert errors == []
    assert result is not None
    data, pos = result
    assert data == {"a": 1, "b": ["x", {"c": "d"}]}
    assert pos.keys[("a",)] == (2, 1)
    assert pos.values[("a",)] == (2, 4)
    assert pos.values[("b", 1)] == (5, 5)
    assert pos.keys[("b", 1, "c")] == (5, 6)
    # A path not in the file falls back to its nearest existing parent.
    assert pos.of(("b", 1, "missing")) == (5, 5)


def test_dates_stay_text_and_only_true_false_are_booleans() -> None:
    result, _ = load("d: 2024-02-30\nt: No\nu: true\nn: 12\n")
    assert result is not None
    assert result[0] == {"d": "2024-02-30", "t": "No", "u": True, "n": 12}


def test_python_tags_are_refused_at_their_position() -> None:
    result, errors = load("a: ok\nb: !!python/object/apply:os.system [ls]\n")
    assert result is None
    assert errors == [
        "x.yaml:2:4: error: YAML tag '!!python/object/apply:os.system' is not allowed "
        "(remove the tag: only plain strings, numbers, true/false, lists and mappings are read)"
    ]


def test_custom_tags_and_duplicate_keys_are_errors() -> None:
    result, errors = load("a: !env HOME\nb: 1\nb: 2\n")
    assert result is None
    assert [e.split(": error: ")[1] for e in errors] == [
        "YAML tag '!env' is not allowed (remove the tag: only plain strings, numbers, "
        "true/false, lists and mappings are read)",
        "duplicate key 'b' (remove one of the two)",
    ]
    assert errors[1].startswith("x.yaml:3:1:")


def test_syntax_error_points_at_the_problem() -> None:
    result, errors = load("a: [1, 2\nb: 3\n", first_line=5)
    assert result is None
    assert len(errors) == 1 and errors[0].startswith("x.yaml:6:")
    assert "invalid YAML" in errors[0]


def test_keys_must_be_text() -> None:
    # Without this, `1:` and `true:` were "duplicate key 'True'" (1 == True in Python).
    result, errors = load("1: x\ntrue: z\nok: y\n")
    assert result is None
    assert errors == [
        "x.yaml:1:1: error: key '1' must be a name (quote it: '1':)",
        "x.yaml:2:1: error: key 'true' must be a name (quote it: 'true':)",
    ]


def test_aliases_and_deep_nesting_are_refused_before_composing() -> None:
    result, errors = load("a: &x [1, 2]\nb: *x\n")
    assert result is None
    assert errors == [
        "x.yaml:2:4: error: YAML alias '*x' is not allowed "
        "(write the value out in full: aliases and anchors are not read)"
    ]
    result, errors = load("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert result is None
    assert errors == [
        "x.yaml:1:43: error: lists and mappings nested more than 40 deep (flatten the structure)"
    ]


# Documents composed at once (no '*', few indicators: yamlsrc._shallow) and documents that must
# fall back to the path that scans the events first: each gives what that path gives.
AT_ONCE = [
    "title: Plan (b1)\ndate: 2015-02-01\ntopics: [a, b-c]\nsource:\n  url: https://x.cn/1\n",
    "figures:\n  - {indicator: fai, value: 5.4e9, unit: cny, period: '2015'}\n  - {value: -3}\n",
    "a: ~\nb: null\nc: 0x1f\nd: 1_000\ne: .inf\nf: 'yes'\ng: No\nh: true\n",
    'a: "bell\\u0007 and \\u202e"\nb: [1, "\\x0b"]\n',  # invisible characters: warnings
    "a: &anchor 1\nb: 2\n",  # an anchor no alias uses: read, the anchor ignored
    "a: &x 1\nb: &x 2\n",  # a duplicate anchor: the composer's error
    "--- a\n--- b\n",  # two documents
    "a: [1, 2\nb: 3\n",  # unterminated flow list
    "a: !!python/object:os.system x\nb: !foo 1\n",
    "a: 1\na: 2\n1: x\n",
    "a:\n  b:\n    c: [d, {e: f}]\n",
    "",
    "- x\n",
    "a: " + "[" * 39 + "]" * 39 + "\n",  # as deep as allowed: 40 with the mapping
    "a: " + "[" * 40 + "]" * 40 + "\n",  # one too deep: found by the walk, not the scan
    'a: "x\\u0007"\nb: ' + "[" * 40 + "]" * 40 + "\n",  # and a warning before it, not kept
    "a: " + "- " * 41 + "x\n",
    "a: *x\n",  # an alias: the scan first
]


def test_composing_at_once_reports_and_reads_what_scanning_first_does() -> None:
    from builder import yamlsrc

    at_once = 0
    for text in AT_ONCE:
        scanned = Report(Path("/p"))
        expected = yamlsrc._load(text, F, scanned, 3, False, scan=True)
        got = load(text, first_line=3)
        assert got == (expected, scanned.lines()), text
        assert len(got[1]) == len(set(got[1])), text  # nothing reported twice
        at_once += yamlsrc._shallow(text)
    assert at_once == len(AT_ONCE) - 1
    assert load(AT_ONCE[13])[1] == [] and len(load(AT_ONCE[14])[1]) == 1


def test_only_a_shallow_document_without_aliases_skips_the_scan(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from builder import yamlsrc

    scans: list[str] = []
    real = yamlsrc._safe_shape

    def counted(text: str, *args: object) -> bool:
        scans.append(text)
        return real(text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(yamlsrc, "_safe_shape", counted)
    shallow = "a: [1, 2]\nb: {c: d}\n"
    assert load(shallow)[0] is not None and scans == []
    aliased = "a: &x [1]\nb: 2 * 3\n"  # a '*' anywhere: scanned
    assert load(aliased)[0] is not None and scans == [aliased]
    many = "a: [" + ", ".join(["t-t"] * yamlsrc.SHALLOW) + "]\n"  # one ":" more than allowed
    assert load(many)[0] is not None and scans == [aliased, many]


def test_a_document_is_never_deeper_than_its_indicators() -> None:
    """The bound that makes composing at once safe, on nested data written every way PyYAML
    writes it: each list or mapping brings at least one '[', '{', '-', ':' or '?' of its own."""
    import random

    import yaml

    from builder import yamlsrc

    rng = random.Random(5)

    def nested(depth: int) -> object:
        if depth == 0:
            return rng.choice(["x", 1, "", None])
        inner = nested(depth - 1)
        return rng.choice([[inner], {"k": inner}, {(1, 2): inner}, [inner, "y"]])

    for _ in range(300):
        depth = rng.randint(1, 12)
        data = nested(depth)
        style = rng.choice([True, False, None])
        text = yaml.dump(data, default_flow_style=style)
        indicators = sum(text.count(c) for c in yamlsrc._INDICATORS)
        assert depth <= indicators, text

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

from __future__ import annotations

from pathlib import Path

from builder.errors import Report
from builder.load import read_text, split_front_matter, text_hash


def test_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_bytes(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nbody\r\n")
    report = Report(tmp_path)
    assert read_text(f, report) == "---\ntitle: x\n---\nbody\n"
    assert report.items == []


def test_invalid_utf8_names_line_and_column(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_bytes("---\nok: 中\n".encode() + b"bad: \xff\n")
    report = Report(tmp_path)
    assert read_text(f, report) is None
    assert report.lines() == ["a.md:3:6: error: invalid UTF-8 (byte 0xff) (save the file as UTF-8)"]


def test_front_matter_split_reports_body_line(tmp_path: Path) -> None:
    report = Report(tmp_path)
    fm = split_front_matter("---\na: 1\nb: 2\n---\nbody\n", tmp_path / "x.md", report)
    assert fm is not None
    assert fm.data == {"a": 1, "b": 2}
    assert fm.body == "body\n" and fm.body_line == 5
    assert fm.positions.values[("b",)] == (3, 4)


def test_missing_and_non_mapping_front_matter(tmp_path: Path) -> None:
    report = Report(tmp_path)
    assert split_front_matter("no front matter\n", tmp_path / "a.md", report) is None
    assert split_front_matter("---\n- a list\n---\n", tmp_path / "b.md", report) is None
    assert report.lines() == [
        "a.md:1:1: error: missing front-matter (start the file with a line '---')",
        "b.md:2:1: error: front-matter must be a mapping of keys to values",
    ]


def test_text_hash_is_short_and_stable() -> None:
    assert text_hash("abc") == "ba7816bf8f01"


def test_all_digit_hash_is_read_as_text() -> None:
    from builder.schema import TranslationFront

    front = TranslationFront.model_validate(
        {"title": "t", "summary": "s", "translated_from": 12345678901}
    )
    assert front.translated_from == "012345678901"

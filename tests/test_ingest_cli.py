"""`briefings ingest` end to end on invented articles in the shapes editors receive."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from builder.cli import main

REPO = Path(__file__).parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
FURNITURE = (
    "Copyright",
    "ICP",
    "Print Mail",
    ".png",
    ".jpg",
    "Home >",
    "Home>",
    "版权所有",
    "【打印】",
    "字体",
    "Related stories",
    "Contact Us",
    "[Photo",
    "摄影",
    "当前位置",
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A project with the real catalogues and no articles."""
    content = tmp_path / "content"
    content.mkdir()
    for name in ("site.yaml", "regions.yaml", "topics.yaml", "indicators.yaml"):
        shutil.copy(REPO / "content" / name, content / name)
    (content / "articles").mkdir()
    return tmp_path


def ingest(site: Path, *args: str) -> int:
    return main(["ingest", "--root", str(site), *args])


def front(path: Path) -> tuple[dict[str, object], str]:
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data, body


def drafted(site: Path, name: str, *args: str) -> tuple[dict[str, object], str, str]:
    assert ingest(site, str(FIXTURES / name), *args) == 0
    (path,) = (site / "content" / "articles").glob("*/*.md")
    data, body = front(path)
    return data, body, path.read_text(encoding="utf-8")


CASES = [
    # file, title, date, publisher, region, money and percentages that must be found
    (
        "en_byline_district.txt",
        "Jiangyan district unveils plan to grow its biomedicine cluster",
        "2024-05-09",
        "etaizhou.gov.cn",
        "jiangyan",
        ["1_500_000_000", "207_300_000", "30", "8_600_000_000", "14.2"],
    ),
    (
        "en_portal_crlf_bom.txt",
        "Zhangjiagang port city speeds up its shift to smart logistics",
        "2022-03-08",
        "chinadaily.com.cn",
        "zhangjiagang",
        ["2_600_000_000", "410_000_000", "8.5", "45_000_000"],
    ),
    (
        "en_dateline_no_publisher.txt",
        "The province’s digital economy promotion meeting was held in Jiaxing",
        "2022-11-20",
        None,
        "jiaxing",
        ["12_400_000_000", "18.6", "21.3"],
    ),
    (
        "en_taizhou_zhejiang.txt",
        "Taizhou's auto parts makers expand overseas sales",
        "2024-04-01",
        "zjnews.example.cn",
        "taizhou-zhejiang",
        ["36_800_000_000", "5_090_000_000", "9.7"],
    ),
    (
        "en_two_regions.txt",
        "Hailing signs a new energy cooperation pact",
        "2023-09-05",
        "etaizhou.gov.cn",
        "hailing",
        ["4_200_000_000", "15"],
    ),
    (
        "zh_gov.txt",
        "姜堰区召开2024年重大项目推进大会",
        "2024-04-01",
        "姜堰区融媒体中心",
        "jiangyan",
        ["100_000_000_000", "200_000_000", "12.5", "50_000"],
    ),
    (
        "zh_taizhou_zhejiang.txt",
        "台州市召开制造业高质量发展推进会",
        "2023-11-05",
        "台州日报",
        "taizhou-zhejiang",
        ["8.2", "35_670_000_000"],
    ),
    (
        "en_page.html",
        "Hailing sets up a fund for smart home appliance makers",
        "2024-03-12",
        "etaizhou.gov.cn",
        "hailing",
        ["3_000_000_000", "416_700_000", "50_000_000_000", "11.3", "36_200_000_000"],
    ),
    (
        "zh_page.html",
        "台州市出台支持民营经济发展十条措施",
        "2023-12-18",
        "台州市经信局",
        "taizhou-zhejiang",
        ["1_200_000_000", "300_000", "15"],
    ),
    (
        "en_no_publisher.html",
        "Jiaxing hosts forum on green textiles",
        "2023-09-14",
        None,
        "jiaxing",
        ["4_750_000_000", "22.4"],
    ),
]


@pytest.mark.parametrize(
    ("name", "title", "date", "publisher", "region", "values"), CASES, ids=[c[0] for c in CASES]
)
def test_fixture_drafts(
    site: Path,
    name: str,
    title: str,
    date: str,
    publisher: str | None,
    region: str,
    values: list[str],
) -> None:
    data, body, text = drafted(site, name)
    assert data["title"] == title
    assert str(data["date"]) == date
    assert data["region"] == region
    assert data["draft"] is True
    source = data["source"]
    assert isinstance(source, dict)
    assert source.get("publisher") == publisher
    assert source["title"] == title
    if publisher is None:
        assert "publisher: the source names none" in text
    # Every amount and percentage appears as a figure value, live or commented out.
    for value in values:
        assert f"value: {value}" in text, value
    for word in FURNITURE:
        assert word not in body, word
    assert body.strip(), "the article's paragraphs are kept"


def test_drafts_pass_briefings_check(site: Path) -> None:
    for name, *_ in CASES:
        assert ingest(site, str(FIXTURES / name)) == 0
    assert len(list((site / "content" / "articles").glob("*/*.md"))) == len(CASES)
    templates = str(REPO / "templates")
    assert main(["check", "--root", str(site), "--templates", templates, "--drafts"]) == 0


def test_sentence_and_people_are_comments(site: Path) -> None:
    _, _, text = drafted(site, "en_portal_crlf_bom.txt")
    assert '# from: "The port city of Zhangjiagang' in text
    assert "#   - Lu Haifeng: deputy director of the city's transport bureau" in text
    assert "\r" not in text and "\ufeff" not in text


def test_photo_credit_becomes_a_caption_comment(site: Path) -> None:
    _, body, text = drafted(site, "en_byline_district.txt")
    assert "# Photo captions in the source" in text
    assert "Visitors tour a laboratory" not in body


def test_two_regions_named_the_other_is_reported(site: Path) -> None:
    data, _, text = drafted(site, "en_two_regions.txt")
    assert data["region"] == "hailing"
    assert "zhangjiagang (" in text  # in the region note, for the editor


@pytest.mark.parametrize("name", ["en_taizhou_ambiguous.txt", "en_two_regions_tie.txt"])
def test_undecided_region_asks_for_region(
    site: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ingest(site, str(FIXTURES / name)) == 1
    out = capsys.readouterr().out
    assert "needs --region" in out and "candidates:" in out
    assert not list((site / "content" / "articles").glob("*/*.md"))
    # With --region the editor's choice is used.
    assert ingest(site, str(FIXTURES / name), "--region", "taizhou-jiangsu") == 0
    (path,) = (site / "content" / "articles").glob("*/*.md")
    assert front(path)[0]["region"] == "taizhou-jiangsu"


def test_unknown_region_option_is_a_usage_error(site: Path) -> None:
    assert ingest(site, str(FIXTURES / "zh_gov.txt"), "--region", "atlantis") == 2


def test_reingest_is_reported_as_present_and_force_overwrites(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = str(FIXTURES / "en_byline_district.txt")
    assert ingest(site, src) == 0
    (path,) = (site / "content" / "articles").glob("*/*.md")
    path.write_text(path.read_text(encoding="utf-8") + "\nEditor's note.\n", encoding="utf-8")
    capsys.readouterr()
    assert ingest(site, src) == 0
    assert "already present" in capsys.readouterr().out
    assert "Editor's note." in path.read_text(encoding="utf-8")
    assert ingest(site, src, "--force") == 0
    assert "wrote" in capsys.readouterr().out
    assert "Editor's note." not in path.read_text(encoding="utf-8")
    assert len(list((site / "content" / "articles").glob("*/*.md"))) == 1


def test_dry_run_prints_and_writes_nothing(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ingest(site, str(FIXTURES / "zh_gov.txt"), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would write" in out and "draft: true" in out and "1000亿元" in out
    assert not list((site / "content" / "articles").glob("*/*.md"))


def test_directory_input_one_line_per_file(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("en_byline_district.txt", "zh_gov.txt", "en_page.html"):
        shutil.copy(FIXTURES / name, folder / name)
    (folder / ".hidden").write_text("ignored", encoding="utf-8")
    assert ingest(site, str(folder)) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and all(": wrote " in line for line in lines)


def test_binary_and_empty_files_get_clear_errors(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\n\x00\x01\x02\xff" * 20)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"\xef\xbb\xbf \r\n")
    assert ingest(site, str(binary), str(empty)) == 1
    out = capsys.readouterr().out
    assert "scan.pdf: error" in out and "binary file" in out
    assert "empty.txt: error" in out and "empty file" in out


def test_undated_page_asks_for_the_date_and_never_invents_one(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ingest(site, str(FIXTURES / "unknown_shape.txt"), "--region", "jiangyan") == 1
    assert "needs --date" in capsys.readouterr().out
    assert not list((site / "content" / "articles").glob("*/*.md"))


def test_unknown_shape_degrades_to_a_draft_with_notes(site: Path) -> None:
    data, body, text = drafted(
        site, "unknown_shape.txt", "--region", "jiangyan", "--date", "2024-05-01"
    )
    assert str(data["date"]) == "2024-05-01"
    assert "# PLEASE CHECK:" in text
    assert "date: no publication date found" in text
    assert "date: given with --date" in text
    assert "publisher: the source names none" in text
    assert "2 billion yuan" in body
    assert data["draft"] is True


def test_unknown_file_type_is_read_as_text_with_a_note(site: Path, tmp_path: Path) -> None:
    odd = tmp_path / "article.json"
    odd.write_text(
        (FIXTURES / "en_byline_district.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert ingest(site, str(odd)) == 0
    (path,) = (site / "content" / "articles").glob("*/*.md")
    assert "'.json' is not a known article format" in path.read_text(encoding="utf-8")


def test_gbk_page_is_read(site: Path, tmp_path: Path) -> None:
    page = tmp_path / "gbk.html"
    page.write_bytes((FIXTURES / "zh_page.html").read_text(encoding="utf-8").encode("gb18030"))
    assert ingest(site, str(page)) == 0
    (path,) = (site / "content" / "articles").glob("*/*.md")
    assert "read as GB18030" in path.read_text(encoding="utf-8")


def test_missing_source_is_a_usage_error(site: Path) -> None:
    assert ingest(site, str(site / "nope.txt")) == 2


def test_date_option_must_be_a_date(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        ingest(site, str(FIXTURES / "unknown_shape.txt"), "--date", "2024-13-01")
    assert exc.value.code == 2
    assert "is not a date" in capsys.readouterr().err


def test_dry_run_of_an_undated_page_shows_no_date(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("--region", "jiangyan", "--dry-run")
    assert ingest(site, str(FIXTURES / "unknown_shape.txt"), *args) == 1
    out = capsys.readouterr().out
    assert "needs --date" in out and "date=?" in out
    assert "date: ''  # PLEASE CHECK" in out and "published:" not in out

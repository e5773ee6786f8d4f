"""PDF digests of the sample site (tests/sites/digest), read back with pypdf and poppler."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import Destination

from builder.digests import Period
from builder.pipeline import Options, make_digests
from tests.conftest import PROJECT, Built, page_texts

REGIONS = {"Jiangsu", "Suzhou", "Zhangjiagang", "Taizhou", "Hailing", "Jiangyan"}

BASE = "https://briefings.example.org"
HAILING = {"en": "Hailing plans new industrial parks", "zh": "海陵区规划新建工业园区"}
TITLES = {
    "en": [  # newest first
        "Jiangyan signs new investment projects",
        "Jiangyan sets a manufacturing output goal",
    ],
    "zh": ["姜堰区签约一批投资项目", "姜堰区提出制造业产值目标"],
}


def test_a_digest_per_region_with_briefings_and_language(built: Built) -> None:
    made = sorted(p.relative_to(built.site).as_posix() for p in built.site.rglob("*.pdf"))
    regions = ["hailing", "jiangsu", "jiangyan", "taizhou"]
    assert made == [f"digests/{lang}/{r}.pdf" for lang in ("en", "zh") for r in regions]
    assert built.result.report.items == []


def test_page_one_holds_cover_glance_and_contents_then_the_briefings_flow(built: Built) -> None:
    """A short digest does not spend pages on a cover, contents and a figures table: page 1
    says what happened (the headline figures with unit, kind, period and region, then the
    titles), and the briefings follow one another from page 2."""
    reader = PdfReader(built.pdf("en", "jiangyan"))
    texts = page_texts(built.pdf("en", "jiangyan"))
    assert len(reader.pages) == len(texts) == 2
    first = " ".join(texts[0].split())
    assert "Jiangyan" in first and "2 briefings" in first
    assert "At a glance" in first and "In this digest" in first
    for figure in ("12", "Major projects", "Actual · May 2024 · Jiangyan"):
        assert figure in first
    for figure in ("over 100 billion yuan", "Manufacturing output", "Target · 2024 · Jiangyan"):
        assert figure in first
    assert "Key figures" not in first  # two briefings: their own tables suffice
    assert all(title in texts[1] for title in TITLES["en"])


def test_province_digest_groups_key_figures_by_region(tmp_path: Path) -> None:
    """A province digest never shows a district's figure as its own: its key-figures table
    (made for digests of more than three briefings) is grouped under each briefing's region,
    in gazetteer order, with each briefing named once."""
    opts = Options(root=PROJECT, out=tmp_path / "out")
    result = make_digests(opts, ["jiangsu"], ["en"], Period())
    (path,) = [p for p in result.outputs if p.endswith(".pdf")]
    texts = page_texts(tmp_path / "out" / path)
    table = texts[1]
    assert table.lstrip().startswith("Jiangsu") and "Key figures" in table
    groups = [line.strip() for line in table.splitlines()[1:] if line.strip() in REGIONS]
    assert groups == ["Zhangjiagang", "Hailing", "Jiangyan"]
    hailing = "Hailing sets out its major-project targets for 2024"
    assert table.count(hailing) == 1
    assert "$13.82 billion" in table and "US dollar amounts are the equivalents" in texts[0]


def test_cover_shows_both_scripts_hierarchy_period_and_build_date(built: Built) -> None:
    cover = page_texts(built.pdf("en", "jiangyan"))[0]
    for expected in ("Jiangyan", "姜堰区", "Jiangsu / Taizhou / Jiangyan", "District"):
        assert expected in cover
    # The period and the briefings' dates, each called what it is (thin spaces read as spaces)
    assert "Period\n\n1 Jan \u2013 31 Dec 2024" in cover
    assert "2 briefings, dated 20 Mar \u2013 6 May 2024" in cover
    assert "1 June 2024" in cover  # SOURCE_DATE_EPOCH, not today


def test_toc_page_numbers_lead_to_the_briefings(built: Built) -> None:
    for lang in ("en", "zh"):
        texts = page_texts(built.pdf(lang, "taizhou"))
        toc = texts[0]
        pages = []
        # newest first: May (Jiangyan), April (Hailing), March (Jiangyan)
        for title in [TITLES[lang][0], HAILING[lang], TITLES[lang][1]]:
            # "<title> ....... <page>": the number after the dotted leader
            m = re.search(re.escape(title) + r"\s*\.{5,}\s*(\d+)", toc)
            assert m, (title, toc)
            page = int(m.group(1))
            # the page where the briefing's title is set (page 1 lists them all)
            assert page >= 2 and title in texts[page - 1]
            assert not any(title in t for t in texts[1 : page - 1])
            pages.append(page)
        assert pages == sorted(pages)


def test_toc_links_jump_to_the_briefing_pages(built: Built) -> None:
    reader = PdfReader(built.pdf("en", "jiangyan"))
    toc_links = [
        a.get_object() for a in reader.pages[0].get("/Annots", []) if "/Dest" in a.get_object()
    ]
    names = reader.named_destinations
    # a link that wraps gets one annotation per line: compare the set of targets
    targets = {reader.get_destination_page_number(names[str(a["/Dest"])]) + 1 for a in toc_links}
    assert targets == {2}  # both briefings start on page 2


def test_bookmarks_for_sections_and_every_briefing(built: Built) -> None:
    reader = PdfReader(built.pdf("zh", "jiangyan"))
    top = [o for o in reader.outline if isinstance(o, Destination)]
    found = [(o.title.strip(), reader.get_destination_page_number(o) + 1) for o in top]
    assert found == [
        ("姜堰区", 1),
        ("要点速览", 1),
        ("本期内容", 1),
        (TITLES["zh"][0], 2),
        (TITLES["zh"][1], 2),
    ]
    # body headings ("## 要点") nest under their briefing
    nested = [o for o in reader.outline if isinstance(o, list)]
    assert nested and all(o.title.strip() == "要点" for group in nested for o in group)


def test_metadata_title_language_subject_keywords(built: Built) -> None:
    en = PdfReader(built.pdf("en", "jiangyan"))
    assert en.metadata is not None
    # CLDR puts thin spaces around the dash of a date interval
    # the period the digest covers (the site's digests are per period: a year in this site)
    assert en.metadata.title == "Jiangyan: briefing digest, 1 Jan\u2009\u2013\u200931 Dec 2024"
    assert en.metadata.subject == "2 economic briefings on Jiangyan"
    assert en.metadata["/Keywords"] == "Jiangsu, Taizhou, Jiangyan, Investment, Manufacturing"
    assert en.metadata["/CreationDate"].startswith("D:20240601")
    assert en.trailer["/Root"]["/Lang"] == "en"
    zh = PdfReader(built.pdf("zh", "jiangyan"))
    assert zh.metadata is not None
    assert zh.metadata.title == "姜堰区经济简报汇编（2024年1月1日至12月31日）"
    assert zh.trailer["/Root"]["/Lang"] == "zh-Hans"


def test_tagged_pdf_ua(built: Built) -> None:
    root = PdfReader(built.pdf("zh", "jiangyan")).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] in (True, "true")


def test_chinese_text_with_an_embedded_cjk_font(built: Built) -> None:
    pdf = built.pdf("zh", "jiangyan")
    text = "".join(page_texts(pdf))
    assert "姜堰区于3月19日召开制造业大会。" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in fonts.stdout.splitlines()[2:]]
    # Only the project's fonts (builder/fonts.py), as TrueType subsets: Chinese digests are set
    # in Noto Sans SC alone.
    assert sorted(r[0].split("+")[1] for r in rows) == ["Noto-Sans-SC", "Noto-Sans-SC-Bold"]
    assert all(r[1:3] == ["CID", "TrueType"] for r in rows), fonts.stdout
    # columns: name type... emb sub uni; every font is embedded (no reliance on the reader's)
    assert all(r[-5] == "yes" for r in rows), fonts.stdout


def test_footer_page_n_of_m_and_running_header(built: Built) -> None:
    en = page_texts(built.pdf("en", "taizhou"))
    assert len(en) == 3
    assert "Page 1 of 3" in en[0] and "Page 3 of 3" in en[2]
    # page 1's title says it all: the running header starts on page 2
    assert not en[0].lstrip().startswith("Taizhou\n")
    assert all(t.lstrip().startswith("Taizhou") for t in en[1:])
    zh = page_texts(built.pdf("zh", "taizhou"))
    assert "第 2 页，共 3 页" in zh[1]


def test_links_go_to_the_site(built: Built) -> None:
    reader = PdfReader(built.pdf("en", "jiangyan"))
    uris = {
        str(a.get_object()["/A"]["/URI"])
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]
    }
    assert f"{BASE}/en/briefings/2024/jiangyan-march/" in uris
    # a link to a briefing that is not in this digest leads to the site
    assert f"{BASE}/en/briefings/2024/hailing-april/" in uris
    assert f"{BASE}/en/regions/jiangsu/taizhou/jiangyan/" in uris
    assert "https://example.gov.cn/jiangyan/industry" in uris  # the source


def test_a_link_to_a_briefing_in_the_same_digest_goes_to_its_page(built: Built) -> None:
    """In Taizhou's digest, the March briefing's link to Hailing's April briefing is a jump to
    the page where that briefing is, not a trip to the website."""
    reader = PdfReader(built.pdf("en", "taizhou"))
    annots = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    names = reader.named_destinations
    assert "b-hailing-april" in names
    jumps = [str(a["/Dest"]) for a in annots if "/Dest" in a]
    body_jumps = [d for d in jumps if d == "b-hailing-april"]
    assert len(body_jumps) >= 2  # the contents entry and the link in the March briefing


def test_parent_region_digest_gathers_descendants(built: Built) -> None:
    texts = page_texts(built.pdf("en", "taizhou"))
    assert "3 briefings" in texts[0]
    assert "Hailing plans new industrial parks" in "".join(texts)


def test_region_pages_link_their_digests(built: Built) -> None:
    page = (built.site / "en/regions/jiangsu/taizhou/jiangyan/index.html").read_text()
    assert 'href="../../../../../digests/en/jiangyan.pdf"' in page
    assert 'href="../../../../../digests/zh/jiangyan.pdf"' in page


def test_digests_are_in_the_published_outputs(built: Built) -> None:
    outputs = built.result.outputs
    assert outputs["digests/zh/jiangyan.pdf"] == built.pdf("zh", "jiangyan").read_bytes()

"""PDF digests of the sample site (tests/sites/digest), read back with pypdf and poppler."""

from __future__ import annotations

import re
import subprocess

from pypdf import PdfReader
from pypdf.generic import Destination

from tests.conftest import Built, page_texts

BASE = "https://briefings.example.org"
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


def test_page_count_cover_toc_figures_then_a_page_per_briefing(built: Built) -> None:
    reader = PdfReader(built.pdf("en", "jiangyan"))
    texts = page_texts(built.pdf("en", "jiangyan"))
    assert len(reader.pages) == len(texts) == 5  # cover, contents, key figures, 2 briefings
    assert "Jiangyan" in texts[0] and "2 briefings" in texts[0]
    assert "Contents" in texts[1]
    assert "Key figures" in texts[2]
    for title, text in zip(TITLES["en"], texts[3:], strict=True):
        assert title in text


def test_cover_shows_both_scripts_hierarchy_period_and_build_date(built: Built) -> None:
    cover = page_texts(built.pdf("en", "jiangyan"))[0]
    for expected in ("Jiangyan", "姜堰区", "Jiangsu / Taizhou / Jiangyan", "District"):
        assert expected in cover
    assert "Mar 20 \u2013 May 6, 2024" in cover  # the briefings' span (thin spaces read as spaces)
    assert "June 1, 2024" in cover  # SOURCE_DATE_EPOCH, not today


def test_toc_page_numbers_lead_to_the_briefings(built: Built) -> None:
    for lang in ("en", "zh"):
        texts = page_texts(built.pdf(lang, "jiangyan"))
        toc = texts[1]
        for title in TITLES[lang]:
            # "<title> ....... <page>": the number after the dotted leader
            m = re.search(re.escape(title) + r"\s*\.{5,}\s*(\d+)", toc)
            assert m, (title, toc)
            page = int(m.group(1))
            # the briefing's own page: after the key figures (page 3, which names them all)
            assert page >= 4 and title in texts[page - 1]
            others = [t for t in TITLES[lang] if t != title]
            assert not any(o in texts[page - 1] for o in others)


def test_toc_links_jump_to_the_briefing_pages(built: Built) -> None:
    reader = PdfReader(built.pdf("en", "jiangyan"))
    toc_links = [
        a.get_object() for a in reader.pages[1].get("/Annots", []) if "/Dest" in a.get_object()
    ]
    names = reader.named_destinations
    # a link that wraps gets one annotation per line: compare the set of targets
    targets = {reader.get_destination_page_number(names[str(a["/Dest"])]) + 1 for a in toc_links}
    assert targets == {3, 4, 5}  # key figures, then the two briefings


def test_bookmarks_for_sections_and_every_briefing(built: Built) -> None:
    reader = PdfReader(built.pdf("zh", "jiangyan"))
    top = [o for o in reader.outline if isinstance(o, Destination)]
    found = [(o.title.strip(), reader.get_destination_page_number(o) + 1) for o in top]
    assert found == [
        ("姜堰区", 1),
        ("目录", 2),
        ("关键数据", 3),
        (TITLES["zh"][0], 4),
        (TITLES["zh"][1], 5),
    ]
    # body headings ("## 要点") nest under their briefing
    nested = [o for o in reader.outline if isinstance(o, list)]
    assert nested and all(o.title.strip() == "要点" for group in nested for o in group)


def test_metadata_title_language_subject_keywords(built: Built) -> None:
    en = PdfReader(built.pdf("en", "jiangyan"))
    assert en.metadata is not None
    # CLDR puts thin spaces around the dash of a date interval
    assert en.metadata.title == "Jiangyan: briefing digest, Mar 20\u2009\u2013\u2009May 6, 2024"
    assert en.metadata.subject == "2 economic briefings on Jiangyan"
    assert en.metadata["/Keywords"] == "Jiangsu, Taizhou, Jiangyan, Investment, Manufacturing"
    assert en.metadata["/CreationDate"].startswith("D:20240601")
    assert en.trailer["/Root"]["/Lang"] == "en"
    zh = PdfReader(built.pdf("zh", "jiangyan"))
    assert zh.metadata is not None
    assert zh.metadata.title == "姜堰区经济简报汇编（2024年3月20日至5月6日）"
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
    en = page_texts(built.pdf("en", "jiangyan"))
    assert "Page 1 of" not in en[0]  # the cover has no footer
    assert "Page 2 of 5" in en[1] and "Page 5 of 5" in en[4]
    assert all(t.lstrip().startswith("Jiangyan") for t in en[1:])
    zh = page_texts(built.pdf("zh", "jiangyan"))
    assert "第 3 页，共 5 页" in zh[2]


def test_links_go_to_the_site(built: Built) -> None:
    reader = PdfReader(built.pdf("en", "jiangyan"))
    uris = {
        str(a.get_object()["/A"]["/URI"])
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]
    }
    assert f"{BASE}/en/briefings/2024/jiangyan-march/" in uris
    assert f"{BASE}/en/briefings/2024/hailing-april/" in uris  # a link between briefings
    assert f"{BASE}/en/regions/jiangsu/taizhou/jiangyan/" in uris
    assert "https://example.gov.cn/jiangyan/industry" in uris  # the source


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

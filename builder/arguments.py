"""The `briefings` command line's arguments: every command, its options and their checks.

cli.py runs the commands; this module only describes them (argparse), so it imports nothing of
the build.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def _site_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--root",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the site project: the folder holding content/ and templates/ "
        "(default: the current folder)",
    )
    p.add_argument(
        "--content", type=Path, metavar="DIR", help="content folder (default: <root>/content)"
    )
    p.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="templates folder, with locale/ and static/ (default: <root>/templates)",
    )
    p.add_argument(
        "--drafts", action="store_true", help="include drafts and briefings dated in the future"
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument(
        "--verbose",
        action="store_true",
        help="list every warning (by default, warnings of one kind beyond three are counted)",
    )


def _jobs_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jobs",
        type=_positive,
        metavar="N",
        help="processes rendering the pages when many are new, as in a first build "
        "(default: one per core; 1: no workers; at most two per core)",
    )


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return int(text)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="briefings",
        description="Build the bilingual Regional Briefings site from content/ and templates/.",
        epilog="Exit status: 0 success, 1 content errors, 2 usage errors, "
        "3 the output could not be written. "
        "Run 'briefings COMMAND --help' for a command's options.",
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    b = sub.add_parser(
        "build",
        help="build the site into the output folder",
        description="Validate all content and build the site into --out. "
        "The previous output is replaced only when the whole build "
        "succeeds.",
    )
    _site_options(b)
    _jobs_option(b)
    b.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: <root>/site)")
    b.add_argument("--no-pdf", action="store_true", help="skip the PDF digests")
    b.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="skip the search stage: no Pagefind index and no search pages",
    )
    c = sub.add_parser(
        "check",
        help="validate all content and report every problem",
        description="Validate content and templates and report every problem, "
        "without writing anything.",
    )
    _site_options(c)
    _jobs_option(c)
    _ingest_parser(sub)
    _regions_parser(sub)
    _serve_parser(sub)
    _digest_parser(sub)
    _mail_parser(sub)
    return top


def _ingest_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    i = sub.add_parser(
        "ingest",
        help="turn raw source articles (text or saved HTML) into draft briefings",
        description="Read each source article and write a draft briefing "
        "<out>/<year>/<slug>.md (draft: true), printing one line per file. "
        "Exit status 1 when a file cannot be read, or its region or date cannot be told "
        "(give --region or --date).",
    )
    i.add_argument("sources", nargs="+", type=Path, metavar="FILE_OR_DIR")
    i.add_argument(
        "--root", type=Path, default=Path("."), metavar="DIR", help="the site project (default: .)"
    )
    i.add_argument("--region", metavar="SLUG", help="file every draft under this region")
    i.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the publication date, for pages that print none (applies to every file)",
    )
    i.add_argument(
        "--lang", metavar="CODE", help="the sources' language, one of site.yaml's (default: detect)"
    )
    i.add_argument(
        "--out", type=Path, metavar="DIR", help="articles folder (default: <root>/content/articles)"
    )
    i.add_argument("--force", action="store_true", help="overwrite drafts already present")
    i.add_argument("--dry-run", action="store_true", help="print the drafts, write nothing")


def _regions_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    r = sub.add_parser(
        "regions",
        help="add a division of China to regions.yaml",
        description="Add a province, city, district or county to content/regions.yaml with "
        "both names and its parent, from the national list of divisions (parents the file "
        "lacks are added too). `briefings ingest` prints the command when it needs a region.",
    )
    r.add_argument("action", choices=["add"])
    r.add_argument("place", help="a division code (341300) or name (宿州市, 宿州, Kunshan)")
    r.add_argument(
        "--root", type=Path, default=Path("."), metavar="DIR", help="the site project (default: .)"
    )
    r.add_argument("--dry-run", action="store_true", help="print the entries, write nothing")


def _serve_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = sub.add_parser(
        "serve",
        help="preview the site with live reload",
        description="Build the site (drafts included) into a temporary folder, serve it, and "
        "rebuild and reload the browser on every save. site/ is never touched.",
    )
    _site_options(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument(
        "--port",
        type=_port,
        default=8000,
        help="port to listen on, 0 for any free one (default: 8000)",
    )
    s.add_argument("--open", action="store_true", help="open the site in the web browser")
    s.add_argument(
        "--pdf", action="store_true", help="rebuild the PDF digests too (slow; off by default)"
    )


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0-65535)")
    return port


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write YYYY-MM-DD") from None


def _digest_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    d = sub.add_parser(
        "digest",
        help="make PDF digests of a period, without building the site",
        description="Make a PDF digest per region and language of the briefings dated in a "
        "period (both ends included), named <lang>/<region>_<from>_<to>.pdf. A region with no "
        "briefings in the period gets no digest.",
    )
    _site_options(d)
    d.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="SLUG",
        help="a region (with the regions below it); repeat for several (default: every region)",
    )
    d.add_argument(
        "--lang", metavar="CODE", help="one of site.yaml's languages (default: every language)"
    )
    d.add_argument("--from", dest="start", type=_date, metavar="DATE", help="first day, YYYY-MM-DD")
    d.add_argument("--to", dest="end", type=_date, metavar="DATE", help="last day, YYYY-MM-DD")
    d.add_argument(
        "--out", type=Path, metavar="DIR", help="output folder (default: <root>/build/digests)"
    )


def _mail_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    m = sub.add_parser(
        "mail",
        help="email each recipient the period's briefings with their regions' PDF digests",
        description="Send one message per recipient with something new in the period: the "
        "headlines and figures of their regions, and the regions' PDF digests attached. A rerun "
        "sends only what the server has not accepted yet (see docs/mail.md). SMTP settings come "
        "from 'mail:' in site.yaml and BRIEFINGS_SMTP_HOST, _PORT, _SECURITY, _USER, _PASSWORD, "
        "_CAFILE.",
    )
    _site_options(m)
    m.add_argument(
        "--recipients",
        type=Path,
        required=True,
        metavar="FILE",
        help="the recipients file (YAML; private: keep it outside content/, site/ and git)",
    )
    m.add_argument(
        "--period",
        metavar="WORD",
        help="a month 2024-03, a quarter 2024-Q1, a half 2024-H1 or a year 2024",
    )
    m.add_argument("--from", dest="start", type=_date, metavar="DATE", help="first day, YYYY-MM-DD")
    m.add_argument("--to", dest="end", type=_date, metavar="DATE", help="last day, YYYY-MM-DD")
    m.add_argument(
        "--dry-run",
        action="store_true",
        help="write each message as an .eml file into the outbox; send nothing",
    )
    m.add_argument(
        "--outbox",
        type=Path,
        metavar="DIR",
        help="folder of the send ledger and dry-run messages (default: <root>/build/mail)",
    )
    m.add_argument(
        "--rate",
        type=float,
        metavar="N",
        help="send at most N messages a minute (default: mail.rate_per_minute, else no limit)",
    )
    m.add_argument(
        "--forget",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="forget the ledger's sends of the period to ADDRESS ('all' for everyone), so the "
        "next run sends again; sends nothing itself (repeatable)",
    )

"""`briefings mail` against a real SMTP server on loopback: what arrives, and what happens when the
server or the process fails part-way (nothing lost, nothing sent twice)."""

from __future__ import annotations

import email
import email.policy
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from builder.errors import Report
from builder.i18n import Formatter, load_translations
from builder.languages import DEFAULT_LANGUAGES
from builder.mail import run as mail_run
from builder.mail.compose import message_id
from builder.mail.ledger import Ledger, exclusive
from builder.mail.period import parse_word
from builder.mail.recipients import Recipient
from builder.pipeline import load_model, period_digests
from tests.conftest import EPOCH, PROJECT, TEMPLATES, copy_sample, options
from tests.mailhelp import Certs, Server, make_certs

PERIOD = "2024-Q2"  # hailing-april and jiangyan-may of the digest sample site
TPL = ["--templates", str(TEMPLATES)]

MAIL_SETTINGS = """
mail:
  sender: briefings@example.org
  sender_name: {en: Briefings Desk, zh: 简报编辑部}
  unsubscribe: unsubscribe@example.org
  retries: 2
  retry_delay_seconds: 0.01
  timeout_seconds: 10
"""

# Ten recipients: both languages, non-ASCII names, overlapping regions (taizhou holds both
# districts), one region with nothing in the period.
TEN = [
    ("Alex Morgan", "alex@example.org", "en", ["jiangyan"]),
    ("王芳", "wang.fang@example.org", "zh", ["hailing"]),
    ("Zoë Müller-Lüdenscheidt", "zoe@example.org", "en", ["taizhou", "jiangyan"]),
    ("李伟", "li.wei@example.org", "zh", ["jiangyan", "hailing"]),
    ("Priya Raman", "priya@example.org", "en", ["hailing"]),
    ("陈静", "chen.jing@example.org", "zh", ["taizhou"]),
    ("O'Brien, Pat", "pat@example.org", "en", ["jiangsu"]),
    ("赵敏", "zhao.min@example.org", "zh", ["jiangyan"]),
    ("Sam Lee", "sam@example.org", "en", ["jiangyan", "hailing"]),
    ("周杰", "zhou.jie@example.org", "zh", ["hailing", "taizhou"]),
]
QUIET = ("Noor Haddad", "noor@example.org", "en", ["xinghua"])  # no briefings in the period


def write_recipients(path: Path, people: list[tuple[str, str, str, list[str]]]) -> Path:
    entries = [{"name": n, "email": e, "lang": lang, "regions": r} for n, e, lang, r in people]
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The digest sample site with mail settings and a quiet region, its Q2 digests rendered
    once into its cache: every run below attaches them without laying out a PDF again."""
    root = copy_sample("digest", tmp_path_factory.mktemp("mail") / "root")
    site = root / "content" / "site.yaml"
    site.write_text(site.read_text("utf-8") + MAIL_SETTINGS, "utf-8")
    regions = root / "content" / "regions.yaml"
    regions.write_text(
        regions.read_text("utf-8")
        + "xinghua:\n  name: {en: Xinghua, zh: 兴化市}\n  level: county\n  parent: taizhou\n",
        "utf-8",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        report = Report(root)
        opts = options(root)
        model = load_model(opts, report)
        made = period_digests(
            opts,
            model,
            ["jiangyan", "hailing", "taizhou", "jiangsu"],
            ["en", "zh"],
            parse_word(PERIOD).span,
            report,
        )
        assert len(made) == 8 and not report.errors
    yield root


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server().start()
    yield s
    s.stop()


def run_mail(
    root: Path, server: Server, recipients: Path, outbox: Path, *extra: str
) -> tuple[int, str]:
    """`briefings mail` in-process, pointed at the loopback server; (exit status, stdout)."""
    from builder.cli import parser
    from builder.pipeline import Options

    args = parser().parse_args(
        [
            *("mail", "--root", str(root), *TPL, "--recipients", str(recipients)),
            *("--period", PERIOD, "--outbox", str(outbox), *extra),
        ]
    )
    out = io.StringIO()
    opts = Options(root=root, templates=TEMPLATES)
    period = parse_word(args.period)
    code = mail_run.mail(
        mail_run.MailOptions(
            opts,
            args.recipients,
            period,
            dry_run=args.dry_run,
            outbox=outbox,
            forget=tuple(args.forget),
        ),
        env={**os.environ, **server.env},
        out=out,
    )
    return code, out.getvalue()


def _recipient(name: str, address: str, lang: str, regions: list[str]) -> Recipient:
    return Recipient(name, address, lang, tuple(regions), None, 1)


def test_each_recipient_gets_one_message_in_their_language_with_their_digests(
    root: Path, server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recipients = write_recipients(tmp_path / "people.yaml", [*TEN, QUIET])
    code, out = run_mail(root, server, recipients, tmp_path / "outbox")
    assert code == 0, out
    # "Today" is 2024-06-01 (SOURCE_DATE_EPOCH): the quarter is not over yet.
    assert capsys.readouterr().err.startswith(
        "briefings: warning: 2024-Q2 ends 2024-06-30, not before today (2024-06-01)"
    )
    got = server.handler.by_recipient()
    assert sorted(got) == sorted(e for _, e, _, _ in TEN)  # nobody twice, the quiet one never
    assert all(len(v) == 1 for v in got.values())
    assert server.handler.connections == 1  # one connection for all ten
    assert "10 sent, 0 already sent, 1 with nothing new, 0 failed" in out
    assert "nothing new for noor@example.org" in out

    period = parse_word(PERIOD)
    report = Report(root)
    fmts = {
        lang.code: Formatter(lang, load_translations(TEMPLATES, lang, report))
        for lang in DEFAULT_LANGUAGES
    }
    expected_pdfs = {
        "alex@example.org": ["jiangyan"],
        "zoe@example.org": ["taizhou"],  # jiangyan is inside taizhou: one digest covers both
        "li.wei@example.org": ["jiangyan", "hailing"],
        "pat@example.org": ["jiangsu"],
        "zhou.jie@example.org": ["taizhou"],
    }
    names = {"jiangyan": ("Jiangyan", "姜堰区"), "hailing": ("Hailing", "海陵区")}
    names |= {"taizhou": ("Taizhou", "泰州市"), "jiangsu": ("Jiangsu", "江苏省")}
    for name, address, lang, regions in TEN:
        received = got[address][0]
        assert received.rcpt_tos == [address]
        assert received.mail_from == "briefings@example.org"
        msg = received.message
        fmt = fmts[lang]
        # Headers: the name decoded back exactly, the sender's name in the language, stable id.
        assert len(msg["To"].addresses) == 1  # a comma or quote in a name adds nobody
        assert msg["To"].addresses[0].display_name == name
        assert msg["To"].addresses[0].addr_spec == address
        assert msg["From"].addresses[0].display_name == (
            "简报编辑部" if lang == "zh" else "Briefings Desk"
        )
        assert msg["Message-ID"] == message_id(
            _recipient(name, address, lang, regions), period, 0, "example.org"
        )
        assert msg["List-Unsubscribe"] == "<mailto:unsubscribe@example.org?subject=unsubscribe>"
        assert msg["Content-Language"] == fmt.html_lang
        label = period.label(fmt)
        assert label in msg["Subject"]
        assert ("简报" in msg["Subject"]) == (lang == "zh")
        # Both parts, in the recipient's language, with the footer and the briefing links.
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        greeting = f"{name}，您好：" if lang == "zh" else f"Dear {name},"
        assert text.startswith(greeting)
        assert "unsubscribe@example.org" in text.splitlines()[-1]
        for part in (text, html):
            for slug, briefing in (("hailing", "hailing-april"), ("jiangyan", "jiangyan-may")):
                url = f"https://briefings.example.org/{lang}/briefings/2024/{briefing}/"
                covers = any(r in ("taizhou", "jiangsu", slug) for r in regions)
                assert (url in part) == covers, (address, url)
            assert "jiangyan-march" not in part  # March is outside the quarter
        if lang == "zh":
            assert f"以下是您关注地区{label}的" in text
            assert "Dear" not in text and "Here" not in text and "You receive" not in text
        if address == "pat@example.org":
            assert "Dear O&#39;Brien, Pat," in html  # autoescaped once
        # The attached digests: the subscribed regions (minus covered ones), in the language.
        pdfs = list(msg.iter_attachments())
        want = expected_pdfs.get(address, regions)
        assert [p.get_filename() for p in pdfs] == [f"{r}_{PERIOD}_{lang}.pdf" for r in want]
        for part, slug in zip(pdfs, want, strict=True):
            assert part.get_content_type() == "application/pdf"
            reader = PdfReader(io.BytesIO(part.get_content()))
            cover = " ".join(reader.pages[0].extract_text().split())
            # Region in the recipient's language on the cover, and the period in one of the
            # two ways a digest may write it (the span of days, or the period word).
            region_name = names[slug][1 if lang == "zh" else 0]
            assert region_name in cover
            spans = {" ".join(fmt.date_range(period.start, period.end).split()), label}
            assert any(s in cover for s in spans), (cover, spans)
            assert reader.metadata is not None and region_name in str(reader.metadata.title)
            assert reader.trailer["/Root"]["/Lang"] == fmt.html_lang


def test_dry_run_writes_eml_files_and_sends_nothing(
    root: Path, server: Server, tmp_path: Path
) -> None:
    slash = ("Sales desk", "dept/sales@example.org", "en", ["hailing"])  # '/' is legal there
    recipients = write_recipients(tmp_path / "people.yaml", [*TEN[:3], slash, QUIET])
    code, out = run_mail(root, server, recipients, tmp_path / "outbox", "--dry-run")
    assert code == 0, out
    assert server.handler.connections == 0 and server.handler.received == []
    files = sorted((tmp_path / "outbox" / PERIOD).glob("*.eml"))
    assert [f.name for f in files] == [
        "001-alex@example.org.eml",
        "002-wang.fang@example.org.eml",
        "003-zoe@example.org.eml",
        "004-dept_sales@example.org.eml",
    ]
    first = [f.read_bytes() for f in files]
    code, _ = run_mail(root, server, recipients, tmp_path / "outbox", "--dry-run")
    assert [f.read_bytes() for f in files] == first  # the same input, the same bytes
    assert not (tmp_path / "outbox" / "ledger.sqlite").exists()
    assert b"Subject: =?utf-8?" in first[1]  # a Chinese subject, encoded


def test_dropped_connection_after_three_then_rerun_sends_exactly_the_other_seven(
    root: Path, server: Server, tmp_path: Path
) -> None:
    recipients = write_recipients(tmp_path / "people.yaml", TEN)
    server.handler.drop_after = 3
    code, out = run_mail(root, server, recipients, tmp_path / "outbox")
    assert code == 1
    assert len(server.handler.received) == 3
    assert "connection lost" in out and "stopping" in out
    assert "3 sent, 0 already sent, 0 with nothing new, 1 failed, 6 not tried" in out

    server.handler.drop_after = None
    code, out = run_mail(root, server, recipients, tmp_path / "outbox")
    assert code == 0, out
    assert "7 sent, 3 already sent" in out
    got = server.handler.by_recipient()
    assert sorted(got) == sorted(e for _, e, _, _ in TEN)
    assert [len(v) for v in got.values()] == [1] * 10


def test_temporary_refusal_is_retried_on_the_same_connection(
    root: Path, server: Server, tmp_path: Path
) -> None:
    recipients = write_recipients(tmp_path / "people.yaml", TEN[:4])
    server.handler.fail_once = {"wang.fang@example.org"}
    code, out = run_mail(root, server, recipients, tmp_path / "outbox")
    assert code == 0, out
    assert "temporary failure (message: 451 4.3.0 try again later)" in out
    assert [len(v) for v in server.handler.by_recipient().values()] == [1] * 4
    assert server.handler.connections == 1


def test_permanent_refusal_is_reported_and_the_rest_go_on(
    root: Path, server: Server, tmp_path: Path
) -> None:
    recipients = write_recipients(tmp_path / "people.yaml", TEN[:5])
    server.handler.refuse = {"li.wei@example.org"}
    code, out = run_mail(root, server, recipients, tmp_path / "outbox")
    assert code == 1
    assert sorted(server.handler.by_recipient()) == sorted(
        e for _, e, _, _ in TEN[:5] if e != "li.wei@example.org"
    )
    assert "4 sent, 0 already sent, 0 with nothing new, 1 failed" in out
    assert (
        "failed: li.wei@example.org: recipient refused: "
        "550 5.1.1 <li.wei@example.org>: mailbox unavailable" in out
    )
    with Ledger(tmp_path / "outbox" / "ledger.sqlite") as ledger:
        states = {r.address: r.state for r in ledger.rows(PERIOD)}
    assert states["li.wei@example.org"] == "failed"
    assert sum(s == "accepted" for s in states.values()) == 4
    # The rerun tries the refused one again, and nobody else.
    before = len(server.handler.received)
    code, out = run_mail(root, server, recipients, tmp_path / "outbox")
    assert len(server.handler.received) == before
    assert "0 sent, 4 already sent, 0 with nothing new, 1 failed" in out
    assert "rendering 2 digests of 2024-Q2" in out  # only what li.wei's message needs


def test_sigkill_mid_run_then_rerun_gives_everyone_exactly_one_message(
    root: Path, server: Server, tmp_path: Path
) -> None:
    recipients = write_recipients(tmp_path / "people.yaml", TEN)
    outbox = tmp_path / "outbox"
    server.handler.stall_after = 4  # the fifth message hangs in DATA: the kill lands there
    cmd = [sys.executable, "-m", "builder", "mail", "--root", str(root), *TPL]
    cmd += ["--recipients", str(recipients), "--period", PERIOD, "--outbox", str(outbox)]
    env = {**os.environ, **server.env, "SOURCE_DATE_EPOCH": EPOCH}
    proc = subprocess.Popen(
        cmd, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert server.handler.stalled.wait(120), proc.communicate(timeout=5)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(server.handler.received) < 4:
        time.sleep(0.05)
    assert len(server.handler.received) == 4
    with Ledger(outbox / "ledger.sqlite") as ledger:
        states = sorted(r.state for r in ledger.rows(PERIOD))
    assert states == ["accepted"] * 4 + ["sending"]

    server.handler.stall_after = None
    code, out = run_mail(root, server, recipients, outbox)
    assert code == 0, out
    assert "6 sent, 4 already sent" in out
    assert "the last run stopped while sending to it" in out
    got = server.handler.by_recipient()
    assert sorted(got) == sorted(e for _, e, _, _ in TEN)
    assert [len(v) for v in got.values()] == [1] * 10


def test_the_window_after_acceptance_errs_towards_a_duplicate_with_the_same_message_id(
    root: Path, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documented window: accepted by the server, process gone before the ledger write."""
    recipients = write_recipients(tmp_path / "people.yaml", TEN[:2])

    def die(*args: object) -> None:
        raise SystemExit("killed between the 250 and the ledger write")

    with monkeypatch.context() as mp:
        mp.setattr(Ledger, "accepted", die)
        with pytest.raises(SystemExit):
            run_mail(root, server, recipients, tmp_path / "outbox")
    assert len(server.handler.received) == 1
    code, out = run_mail(root, server, recipients, tmp_path / "outbox")
    assert code == 0, out
    first = server.handler.by_recipient()["alex@example.org"]
    assert len(first) == 2  # sent twice, never lost ...
    assert first[0].message["Message-ID"] == first[1].message["Message-ID"]  # ... one id
    assert "alex@example.org: the last run stopped while sending" in out


def test_each_digest_is_rendered_once_for_every_message_needing_it(
    root: Path, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str]] = []
    real = mail_run.period_digests

    def spy(opts, model, regions, langs, period, report):  # type: ignore[no-untyped-def]
        asked.extend((lang, r) for lang in langs for r in regions)
        return real(opts, model, regions, langs, period, report)

    monkeypatch.setattr(mail_run, "period_digests", spy)
    recipients = write_recipients(tmp_path / "people.yaml", TEN)
    code, _ = run_mail(root, server, recipients, tmp_path / "outbox")
    assert code == 0
    assert sorted(asked) == sorted(set(asked))
    assert sorted(asked) == [
        ("en", "hailing"),
        ("en", "jiangsu"),
        ("en", "jiangyan"),
        ("en", "taizhou"),
        ("zh", "hailing"),
        ("zh", "jiangyan"),
        ("zh", "taizhou"),
    ]
    # The same bytes in every message that carries a digest.
    attached: dict[str, set[bytes]] = {}
    for r in server.handler.received:
        for part in r.message.iter_attachments():
            attached.setdefault(part.get_filename() or "", set()).add(part.get_content())
    assert all(len(v) == 1 for v in attached.values())
    assert len(attached) == 7


def test_project_dry_run_reads_well_in_both_languages_in_a_browser(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """`briefings mail --dry-run` on the project's own content and the example recipients file:
    one message per language, each HTML part laid out in chromium at phone and desktop widths
    without sideways scrolling or any request leaving the message. The screenshots go to
    test-artifacts/ for a person to look at."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    from tests.test_browser import ARGS, ARTIFACTS, CHROMIUM

    shutil.copytree(PROJECT / "content", tmp_path / "content")
    outbox = tmp_path / "outbox"
    code, out, err = cli(
        "mail",
        "--root",
        str(tmp_path),
        *TPL,
        "--recipients",
        str(PROJECT / "docs" / "recipients.example.yaml"),
        "--period",
        "2024",
        "--dry-run",
        "--outbox",
        str(outbox),
    )
    assert code == 0, err
    assert "2 written, 0 already sent, 1 with nothing new, 0 failed" in out
    messages = {}
    for path in sorted((outbox / "2024").glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        messages[str(msg["Content-Language"])] = msg
    assert sorted(messages) == ["en", "zh-Hans"]
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for lang, msg in messages.items():
            html = msg.get_body(("html",)).get_content()
            for width in (375, 800):
                page = browser.new_page(viewport={"width": width, "height": 700})
                requests: list[str] = []
                page.on("request", lambda r, seen=requests: seen.append(r.url))
                page.set_content(html)
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                assert requests == []
                links = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
                assert all(u.startswith("https://regional-briefings.netlify.app/") for u in links)
                assert len(links) >= 3
                body = page.inner_text("body")
                assert ("您好" in body) == (lang == "zh-Hans")
                page.screenshot(path=str(ARTIFACTS / f"mail-{lang}-{width}.png"), full_page=True)
                page.close()
        browser.close()


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("certs"))


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_with_login_delivers_over_an_encrypted_connection(
    root: Path, tmp_path: Path, certs: Certs, security: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = Server(security, certs, users={"mailer": "s3cret"}).start()
    try:
        monkeypatch.setenv("BRIEFINGS_SMTP_CAFILE", str(certs.ca))
        monkeypatch.setenv("BRIEFINGS_SMTP_USER", "mailer")
        monkeypatch.setenv("BRIEFINGS_SMTP_PASSWORD", "s3cret")
        recipients = write_recipients(tmp_path / "people.yaml", TEN[:2])
        code, out = run_mail(root, server, recipients, tmp_path / "outbox")
        assert code == 0, out
        assert [(r.tls, r.login) for r in server.handler.received] == [(True, "mailer")] * 2
        assert "s3cret" not in out
    finally:
        server.stop()


def test_untrusted_certificate_or_refused_login_stops_before_anything_is_sent(
    root: Path, tmp_path: Path, certs: Certs, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = Server("starttls", certs, users={"mailer": "s3cret"}).start()
    try:
        recipients = write_recipients(tmp_path / "people.yaml", TEN[:3])
        monkeypatch.setenv("BRIEFINGS_SMTP_USER", "mailer")
        monkeypatch.setenv("BRIEFINGS_SMTP_PASSWORD", "s3cret")
        code, out = run_mail(root, server, recipients, tmp_path / "outbox")  # no CA file
        assert code == 1
        assert "TLS certificate of 127.0.0.1 not trusted" in out
        assert "0 sent, 0 already sent, 0 with nothing new, 1 failed, 2 not tried" in out

        monkeypatch.setenv("BRIEFINGS_SMTP_CAFILE", str(certs.ca))
        monkeypatch.setenv("BRIEFINGS_SMTP_PASSWORD", "wrong")
        code, out = run_mail(root, server, recipients, tmp_path / "outbox")
        assert code == 1
        assert "login as mailer refused: 535" in out
        assert server.handler.received == []
    finally:
        server.stop()


def test_forget_resends_on_purpose_with_a_new_message_id(
    root: Path, server: Server, tmp_path: Path
) -> None:
    recipients = write_recipients(tmp_path / "people.yaml", TEN[:3])
    outbox = tmp_path / "outbox"
    assert run_mail(root, server, recipients, outbox)[0] == 0
    code, out = run_mail(root, server, recipients, outbox, "--forget", "WANG.FANG@example.org")
    assert code == 0
    assert out == f"forgot wang.fang@example.org for {PERIOD}: the next run sends to them again\n"
    assert len(server.handler.received) == 3  # forgetting sends nothing
    code, out = run_mail(root, server, recipients, outbox)
    assert code == 0 and "1 sent, 2 already sent" in out
    again = server.handler.by_recipient()["wang.fang@example.org"]
    assert len(again) == 2
    assert again[0].message["Message-ID"] != again[1].message["Message-ID"]
    # Everyone: the next run sends all three again.
    code, out = run_mail(root, server, recipients, outbox, "--forget", "all")
    assert out.count("forgot ") == 3
    code, out = run_mail(root, server, recipients, outbox)
    assert "3 sent, 0 already sent" in out


def test_a_second_run_on_the_same_outbox_at_the_same_time_is_refused(
    root: Path, server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recipients = write_recipients(tmp_path / "people.yaml", TEN[:2])
    with exclusive(tmp_path / "outbox"):  # as a run in progress holds it
        code, _ = run_mail(root, server, recipients, tmp_path / "outbox")
    assert code == 2
    assert "another 'briefings mail' is using" in capsys.readouterr().err
    assert server.handler.connections == 0
    code, out = run_mail(root, server, recipients, tmp_path / "outbox")  # released: goes ahead
    assert code == 0 and "2 sent" in out


def test_nobody_with_anything_new_means_no_connection_at_all(
    root: Path, server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # March has only a Jiangyan briefing: Hailing's and Xinghua's followers get nothing.
    recipients = write_recipients(tmp_path / "people.yaml", [TEN[1], TEN[4], QUIET])
    code, out = run_mail(root, server, recipients, tmp_path / "outbox", "--period", "2024-03")
    assert code == 0
    assert "2024-03: 0 sent, 0 already sent, 3 with nothing new, 0 failed" in out
    assert server.handler.connections == 0
    assert capsys.readouterr().err == ""  # March is over: no warning

"""`briefings mail` before anything is sent: period words, the recipients file, the settings, the
command line. Bad input is refused in full, with positions, and the server hears nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.errors import Report
from builder.mail.period import from_span, parse_word
from builder.mail.recipients import load_recipients
from builder.mail.smtp import smtp_settings
from builder.pipeline import load_model
from builder.schema import MailSettings
from tests.conftest import TEMPLATES, copy_sample, options
from tests.mailhelp import Server

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
TPL = ["--templates", str(TEMPLATES)]


@pytest.mark.parametrize(
    ("word", "first", "last"),
    [
        ("2024-03", "2024-03-01", "2024-03-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),  # a leap year
        ("2023-02", "2023-02-01", "2023-02-28"),
        ("2024-Q1", "2024-01-01", "2024-03-31"),
        ("2024-Q4", "2024-10-01", "2024-12-31"),
        ("2024-H2", "2024-07-01", "2024-12-31"),
        ("2024", "2024-01-01", "2024-12-31"),
    ],
)
def test_period_words(word: str, first: str, last: str) -> None:
    p = parse_word(word)
    assert (p.start.isoformat(), p.end.isoformat(), p.key) == (first, last, word)


@pytest.mark.parametrize("word", ["2024-13", "2024-Q5", "2024Q1", "24-03", "2024-3", "March"])
def test_bad_period_words_say_what_to_write(word: str) -> None:
    with pytest.raises(ValueError, match="a quarter 2024-Q1"):
        parse_word(word)


def test_a_span_is_its_own_mailing() -> None:
    p = from_span(dt.date(2024, 3, 5), dt.date(2024, 4, 10))
    assert p.key == "2024-03-05..2024-04-10" and p.word is None
    # A span that is exactly a period word is that mailing, whichever way it was asked for.
    assert from_span(dt.date(2024, 3, 1), dt.date(2024, 3, 31)) == parse_word("2024-03")
    assert from_span(dt.date(2024, 4, 1), dt.date(2024, 6, 30)) == parse_word("2024-Q2")
    assert from_span(dt.date(2024, 1, 1), dt.date(2024, 6, 30)) == parse_word("2024-H1")
    assert from_span(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == parse_word("2024")
    assert from_span(dt.date(2024, 3, 1), dt.date(2024, 3, 30)).key == "2024-03-01..2024-03-30"
    with pytest.raises(ValueError, match="--from is after --to"):
        from_span(dt.date(2024, 4, 10), dt.date(2024, 3, 5))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = copy_sample("digest", tmp_path / "root")
    site = root / "content" / "site.yaml"
    site.write_text(site.read_text("utf-8") + "mail:\n  sender: briefings@example.org\n", "utf-8")
    return root


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server().start()
    yield s
    s.stop()


def test_every_problem_of_a_recipients_file_is_reported_and_nothing_is_sent(
    root: Path, server: Server, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    bad = shutil.copy(FIXTURES / "bad-recipients.yaml", tmp_path / "bad.yaml")
    for key, value in server.env.items():
        monkeypatch.setenv(key, value)
    code, out, err = cli(
        "mail", "--root", str(root), *TPL, "--recipients", str(bad), "--period", "2024-Q2"
    )
    assert code == 1
    plain = (
        "write it on one line: line breaks and control characters are not allowed in a name "
        "or an address"
    )
    address = "write a plain address like name@example.org, without a display name"
    assert err.splitlines() == [
        f"{bad}:1:9: error: name holds the control character U+000D ({plain})",
        f"{bad}:6:10: error: email holds the control character U+000A ({plain})",
        f"{bad}:10:10: error: 'not-an-address' is not a valid email address ({address})",
        f"{bad}:16:13: error: unknown region 'jiangyann' (did you mean 'jiangyan'?)",
        f"{bad}:19:9: error: unknown language 'fr' (use one of the site's languages: en, zh)",
        f"{bad}:22:10: error: duplicate address 'UR@example.org': line 14 has it too "
        "(list each recipient once, with all their regions)",
        f"{bad}:26:10: error: 'Bob <bob@example.org>' is not a valid email address ({address})",
        f"{bad}:33:3: error: unknown key 'emali' (did you mean 'email'?)",
        f"{bad}:34:8: error: 8.name: Input should be a valid string, got nothing (null) "
        "(quote the value)",
        f"{bad}:37:12: error: 8.regions: List should have at least 1 item after validation, not 0",
        "briefings: 10 errors; nothing was sent",
    ]
    assert out == ""
    assert server.handler.connections == 0 and server.handler.received == []
    assert not (root / "build").exists()  # no ledger, no outbox


@pytest.mark.parametrize("inside", ["content", "site"])
def test_a_recipients_file_inside_content_or_site_is_refused(root: Path, cli, inside: str) -> None:  # type: ignore[no-untyped-def]
    path = root / inside / "recipients.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("- {name: A, email: a@example.org, lang: en, regions: [hailing]}\n")
    code, _, err = cli(
        "mail", "--root", str(root), *TPL, "--recipients", str(path), "--period", "2024"
    )
    assert code == 2
    assert "holds private addresses, so keep it outside content/ and site/" in err


def test_the_example_recipients_file_is_valid_for_the_project() -> None:
    from tests.conftest import PROJECT

    report = Report(PROJECT)
    model = load_model(options(PROJECT), report)
    people = load_recipients(
        PROJECT / "docs" / "recipients.example.yaml", model.languages, model.gazetteer, report
    )
    assert report.errors == []
    assert {p.lang for p in people} == {"en", "zh"}
    assert all(p.email.endswith("@example.org") for p in people)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give --period (e.g. 2024-03, 2024-Q1, 2024) or both --from and --to"),
        (["--period", "2024", "--from", "2024-01-01"], "give --period or --from/--to, not both"),
        (["--period", "2024-Q7"], "'2024-Q7' is not a period"),
        (["--from", "2024-05-01", "--to", "2024-04-01"], "--from is after --to"),
        (["--period", "2024", "--rate", "0"], "--rate must be above 0"),
        (["--period", "2024", "--drafts"], "--drafts only with --dry-run: drafts are never sent"),
        (["--period", "2024", "--forget", "all", "--dry-run"], "--forget edits the ledger"),
    ],
)
def test_usage_errors(root: Path, tmp_path: Path, cli, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    people = tmp_path / "people.yaml"
    people.write_text("- {name: A, email: a@example.org, lang: en, regions: [hailing]}\n")
    code, _, err = cli("mail", "--root", str(root), *TPL, "--recipients", str(people), *args)
    assert code == 2
    assert message in err


def test_passwords_are_refused_in_site_yaml(root: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    site = root / "content" / "site.yaml"
    lines = site.read_text("utf-8").splitlines()
    lines.append("  password: hunter2")
    site.write_text("\n".join(lines) + "\n", "utf-8")
    people = tmp_path / "people.yaml"
    people.write_text("- {name: A, email: a@example.org, lang: en, regions: [hailing]}\n")
    code, _, err = cli(
        "mail", "--root", str(root), *TPL, "--recipients", str(people), "--period", "2024"
    )
    assert code == 1
    assert err.splitlines() == [
        f"content/site.yaml:{len(lines)}:13: error: mail.password: never write "
        "the password here: set BRIEFINGS_SMTP_PASSWORD",
        "briefings: 1 error; nothing was sent",
    ]
    assert "hunter2" not in err


def test_environment_overrides_site_settings() -> None:
    mail = MailSettings.model_validate(
        {"host": "relay.example.org", "port": 587, "security": "starttls"}
    )
    s = smtp_settings(mail, {})
    assert (s.host, s.port, s.security, s.user, s.password) == (
        "relay.example.org",
        587,
        "starttls",
        None,
        None,
    )
    env = {
        "BRIEFINGS_SMTP_HOST": "smtp.example.org",
        "BRIEFINGS_SMTP_PORT": "465",
        "BRIEFINGS_SMTP_SECURITY": "tls",
        "BRIEFINGS_SMTP_USER": "mailer",
        "BRIEFINGS_SMTP_PASSWORD": "s3cret",
    }
    s = smtp_settings(mail, env, rate=30)
    assert (s.host, s.port, s.security, s.user, s.password, s.rate_per_minute) == (
        "smtp.example.org",
        465,
        "tls",
        "mailer",
        "s3cret",
        30,
    )
    assert "s3cret" not in s.describe()
    default = smtp_settings(MailSettings(), {})
    assert (default.host, default.port, default.security) == ("localhost", 25, "none")
    with pytest.raises(ValueError, match="BRIEFINGS_SMTP_PORT=99999 is not a port"):
        smtp_settings(mail, {"BRIEFINGS_SMTP_PORT": "99999"})
    with pytest.raises(ValueError, match="BRIEFINGS_SMTP_SECURITY=ssl"):
        smtp_settings(mail, {"BRIEFINGS_SMTP_SECURITY": "ssl"})


def test_rate_limit_spaces_the_sends() -> None:
    from builder.mail.smtp import Transport

    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    t = Transport(smtp_settings(MailSettings(), {}, rate=30), sleep=sleep, clock=lambda: now[0])
    for _ in range(3):
        t._pace()
        now[0] += 0.5  # sending takes half a second
    assert slept == [1.5, 1.5]  # 30 a minute: one every 2 s

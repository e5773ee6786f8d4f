"""`briefings mail`: validate everything, render each needed digest once, then send one message
per recipient (or write it as .eml with --dry-run), recording each acceptance in the ledger.

Order matters for "nothing lost, nothing sent twice": all input is checked before the first
connection; the ledger row goes to `sending` before DATA and to `accepted` the moment the server
says 250 (see ledger.py for the one window that remains); a temporary failure that outlasts the
retries stops the run, and the rerun picks up exactly what was not accepted.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import TextIO

import jinja2

from builder.assets import load_assets
from builder.errors import BuildFailed, Report
from builder.i18n import Formatter, load_translations
from builder.index import SiteModel
from builder.mail.compose import compose, covered_regions, message_id, sections
from builder.mail.ledger import Ledger, LedgerBusy, exclusive
from builder.mail.period import MailPeriod
from builder.mail.recipients import Recipient, UnsafeRecipientsFile, check_location
from builder.mail.recipients import load_recipients as read_recipients
from builder.mail.smtp import Fatal, Permanent, SmtpSettings, Temporary, Transport, smtp_settings
from builder.model import Region
from builder.options import Options, build_date, source_date_epoch
from builder.pipeline import load_model, period_digests
from builder.templating import Renderer, TemplateFailed

LEDGER = "ledger.sqlite"


@dataclass(frozen=True)
class MailOptions:
    site: Options
    recipients: Path
    period: MailPeriod
    dry_run: bool = False
    outbox: Path | None = None  # default: <root>/build/mail
    rate_per_minute: float | None = None
    forget: tuple[str, ...] = ()  # addresses (or 'all') to forget for the period, then stop

    @property
    def outbox_dir(self) -> Path:
        return (self.outbox or self.site.root / "build" / "mail").resolve()


@dataclass
class Summary:
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    nothing_new: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (address, reason)
    not_tried: list[str] = field(default_factory=list)
    again: list[str] = field(default_factory=list)  # interrupted mid-send last time, resent


@dataclass(frozen=True)
class Plan:
    model: SiteModel
    recipients: list[Recipient]
    regions: dict[str, list[Region]]  # by address key: the regions whose digests go along
    envs: dict[str, jinja2.Environment]


def mail(opts: MailOptions, env: Mapping[str, str] | None = None, out: TextIO | None = None) -> int:
    """The whole command; returns the exit status (0 all sent, 1 errors or failures, 2 usage)."""
    env = os.environ if env is None else env
    out = out or sys.stdout
    err = sys.stderr
    site = opts.site
    try:
        check_location(opts.recipients, [site.content_dir, site.root / "content", site.out_dir])
    except UnsafeRecipientsFile as exc:
        print(f"briefings: error: {exc}", file=err)
        return 2
    if not opts.recipients.is_file():
        print(f"briefings: error: no such recipients file: {opts.recipients}", file=err)
        return 2
    report = Report(site.root.resolve())
    try:
        plan = _plan(opts, report)
        smtp = smtp_settings(plan.model.config.mail, env, opts.rate_per_minute)
    except BuildFailed:
        return _failed(report, err)
    except ValueError as exc:
        print(f"briefings: error: {exc}", file=err)
        return 2
    today = build_date(plan.model.config.timezone)
    if opts.period.end >= today and not opts.forget:
        # Not an error (a mid-month mailing can be meant), but the ledger will say these people
        # have this period's message, so briefings added later in the period never reach them.
        print(
            f"briefings: warning: {opts.period.key} ends {opts.period.end.isoformat()}, not "
            f"before today ({today.isoformat()}): briefings added later in the period will not "
            "be mailed to anyone sent this period's message now",
            file=err,
        )
    if opts.dry_run:
        return _mail(opts, plan, smtp, report, out, err)
    try:
        with exclusive(opts.outbox_dir):
            if opts.forget:
                return _forget(opts, out)
            return _mail(opts, plan, smtp, report, out, err)
    except LedgerBusy as exc:
        print(f"briefings: error: {exc}", file=err)
        return 2


def _mail(
    opts: MailOptions,
    plan: Plan,
    smtp: SmtpSettings,
    report: Report,
    out: TextIO,
    err: TextIO,
) -> int:
    site = opts.site
    # Each digest of a region x language x period is rendered once, for every message needing it;
    # a rerun renders only what the messages still to send need.
    done = _accepted(opts)
    wanted: dict[str, set[str]] = {}
    for r in plan.recipients:
        for region in plan.regions[r.key] if r.key not in done else ():
            wanted.setdefault(r.lang, set()).add(region.slug)
    digests: dict[tuple[str, str], bytes] = {}
    count = sum(len(v) for v in wanted.values())
    if count:
        print(f"rendering {count} digest{'s' if count != 1 else ''} of {opts.period.key}", file=out)
    for lang in sorted(wanted):
        got = period_digests(
            site, plan.model, sorted(wanted[lang]), [lang], opts.period.span, report
        )
        digests.update(got)
    if site.strict:
        report.strict()
    if report.errors:
        return _failed(report, err)
    if report.warnings:
        # The site's warnings (a missing translation, say) are the editors' business, not the
        # mailing's; `briefings check` lists them. --strict turns them into errors above.
        n = len(report.warnings)
        print(f"{n} content warning{'s' if n != 1 else ''}: see 'briefings check'", file=err)

    summary = Summary()
    if opts.dry_run:
        _dry_run(opts, plan, digests, summary, out)
    else:
        _send(opts, plan, digests, smtp, summary, out)
    return _summarise(opts, summary, out)


def _plan(opts: MailOptions, report: Report) -> Plan:
    """The model, the recipients and the settings, every problem reported together."""
    site = opts.site
    model = load_model(site, report)
    recipients = read_recipients(opts.recipients, model.languages, model.gazetteer, report)
    if model.config.mail.sender is None:
        report.error(
            site.content_dir / "site.yaml",
            1,
            1,
            "no sender address for 'briefings mail'",
            "add 'mail:' with 'sender: briefings@your-domain' (see docs/mail.md)",
        )
    if report.errors:
        raise BuildFailed(report)
    renderer = Renderer(model, site.templates_dir, report, load_assets(site.templates_dir, report))
    envs = {
        lang: renderer.environment(
            Formatter(
                model.config.language(lang),
                load_translations(site.templates_dir, model.config.language(lang), report),
            )
        )
        for lang in sorted({r.lang for r in recipients})
    }
    if report.errors:
        raise BuildFailed(report)
    regions = {r.key: covered_regions(model, r, opts.period) for r in recipients}
    return Plan(model, recipients, regions, envs)


def _accepted(opts: MailOptions) -> set[str]:
    """Addresses the ledger says already have the period's message (none if no ledger yet)."""
    path = opts.outbox_dir / LEDGER
    if not path.is_file():
        return set()
    with Ledger(path) as ledger:
        return {r.address for r in ledger.rows(opts.period.key) if r.state == "accepted"}


def _failed(report: Report, err: TextIO) -> int:
    for line in report.lines():
        print(line, file=err)
    n = len(report.errors)
    print(f"briefings: {n} error{'s' if n != 1 else ''}; nothing was sent", file=err)
    return 1


def _forget(opts: MailOptions, out: TextIO) -> int:
    everyone = "all" in opts.forget
    with Ledger(opts.outbox_dir / LEDGER) as ledger:
        gone = ledger.forget(opts.period.key, None if everyone else list(opts.forget))
    for address in gone:
        print(f"forgot {address} for {opts.period.key}: the next run sends to them again", file=out)
    if not gone:
        print(f"nothing to forget: the ledger has no such sends of {opts.period.key}", file=out)
    return 0


def _date(dry_run: bool) -> dt.datetime:
    """A sent message is dated when it is sent; a dry run's files by SOURCE_DATE_EPOCH when it
    is set, so the same input writes the same bytes."""
    epoch = source_date_epoch() if dry_run else None
    return dt.datetime.fromtimestamp(epoch, dt.UTC) if epoch else dt.datetime.now(dt.UTC)


def _message(
    opts: MailOptions,
    plan: Plan,
    r: Recipient,
    digests: Mapping[tuple[str, str], bytes],
    generation: int,
) -> tuple[EmailMessage, str]:
    env = plan.envs[r.lang]
    fmt = env.globals["fmt"]
    assert isinstance(fmt, Formatter)
    settings = plan.model.config.mail
    assert settings.sender is not None
    msgid = message_id(r, opts.period, generation, settings.sender.rsplit("@", 1)[1])
    parts = sections(plan.model, fmt, plan.regions[r.key], opts.period)
    msg = compose(
        plan.model,
        env,
        r,
        opts.period,
        parts,
        digests,
        settings,
        msgid=msgid,
        date=_date(opts.dry_run),
    )
    return msg, msgid


def _who(r: Recipient) -> str:
    org = f", {r.organisation}" if r.organisation else ""
    return f"{r.name} <{r.email}>{org}"


def _dry_run(
    opts: MailOptions,
    plan: Plan,
    digests: Mapping[tuple[str, str], bytes],
    summary: Summary,
    out: TextIO,
) -> None:
    folder = opts.outbox_dir / opts.period.key.replace("..", "_")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.eml"):
        old.unlink()  # a dry run shows the mailing as it is now, not leftovers of an older one
    ledger_path = opts.outbox_dir / LEDGER
    ledger = Ledger(ledger_path) if ledger_path.is_file() else None
    todo = [r for r in plan.recipients if plan.regions[r.key]]
    summary.nothing_new = [r.email for r in plan.recipients if not plan.regions[r.key]]
    try:
        for n, r in enumerate(todo, 1):
            row = ledger.get(r.key, opts.period.key) if ledger else None
            if row is not None and row.state == "accepted":
                summary.already.append(r.email)
                continue
            generation = ledger.generation(r.key, opts.period.key) if ledger else 0
            msg, _ = _message(opts, plan, r, digests, generation)
            # An address may hold '/' or '?' (RFC 5322 allows them): never in a file name.
            path = folder / f"{n:03d}-{re.sub(r'[^A-Za-z0-9@._+-]', '_', r.key)}.eml"
            path.write_bytes(msg.as_bytes())
            summary.sent.append(r.email)
            print(f"[{n}/{len(todo)}] wrote {path.name} for {_who(r)}", file=out, flush=True)
    except TemplateFailed as exc:
        summary.failed.append(("(all)", f"template error: {exc.path}:{exc.line}: {exc.message}"))
    finally:
        if ledger:
            ledger.close()


def _send(
    opts: MailOptions,
    plan: Plan,
    digests: Mapping[tuple[str, str], bytes],
    smtp: SmtpSettings,
    summary: Summary,
    out: TextIO,
) -> None:
    settings = plan.model.config.mail
    assert settings.sender is not None
    summary.nothing_new = [r.email for r in plan.recipients if not plan.regions[r.key]]
    todo = [r for r in plan.recipients if plan.regions[r.key]]
    period = opts.period.key

    def retrying(reason: str, pause: float) -> None:
        print(f"  temporary failure ({reason}); trying again in {pause:g} s", file=out, flush=True)

    with (
        Ledger(opts.outbox_dir / LEDGER) as ledger,
        Transport(smtp, on_retry=retrying) as transport,
    ):
        for n, r in enumerate(todo, 1):
            where = f"[{n}/{len(todo)}]"
            row = ledger.get(r.key, period)
            if row is not None and row.state == "accepted":
                summary.already.append(r.email)
                print(f"{where} already sent to {_who(r)} ({row.updated})", file=out, flush=True)
                continue
            if row is not None and row.state == "sending":
                summary.again.append(r.email)
            try:
                msg, msgid = _message(opts, plan, r, digests, ledger.generation(r.key, period))
            except TemplateFailed as exc:
                reason = f"template error: {exc.path}:{exc.line}: {exc.message}"
                summary.failed.append((r.email, reason))
                summary.not_tried = [x.email for x in todo[n:]]
                return
            ledger.sending(r.key, period, msgid)
            try:
                reply = transport.send(msg, settings.sender, r.email)
            except Permanent as exc:
                ledger.failed(r.key, period, msgid, str(exc))
                summary.failed.append((r.email, str(exc)))
                print(f"{where} FAILED {_who(r)}: {exc}", file=out, flush=True)
                continue
            except (Temporary, Fatal) as exc:
                ledger.failed(r.key, period, msgid, str(exc))
                summary.failed.append((r.email, str(exc)))
                summary.not_tried = [x.email for x in todo[n:]]
                print(f"{where} FAILED {_who(r)}: {exc}; stopping", file=out, flush=True)
                return
            # The ledger first, the screen after: the window before this commit is the one
            # ledger.py documents, and it should be as short as a single write.
            ledger.accepted(r.key, period, msgid, reply)
            summary.sent.append(r.email)
            files = len(plan.regions[r.key])
            print(
                f"{where} sent to {_who(r)}: {files} PDF{'s' if files != 1 else ''}, {reply}",
                file=out,
                flush=True,
            )


def _summarise(opts: MailOptions, s: Summary, out: TextIO) -> int:
    verb = "written" if opts.dry_run else "sent"
    print(
        f"{opts.period.key}: {len(s.sent)} {verb}, {len(s.already)} already sent, "
        f"{len(s.nothing_new)} with nothing new, {len(s.failed)} failed"
        + (f", {len(s.not_tried)} not tried" if s.not_tried else ""),
        file=out,
    )
    for address in s.nothing_new:
        print(f"  nothing new for {address} in {opts.period.key}: no message", file=out)
    for address in s.again:
        print(
            f"  {address}: the last run stopped while sending to it; sent again with the same "
            "Message-ID (if the server had accepted the first, the recipient may see both)",
            file=out,
        )
    for address, reason in s.failed:
        print(f"  failed: {address}: {reason}", file=out)
    if s.not_tried:
        print(f"  not tried: {', '.join(s.not_tried)}; run the same command again", file=out)
    if opts.dry_run and s.sent:
        folder = opts.outbox_dir / opts.period.key.replace("..", "_")
        print(f"  messages written to {folder}; nothing was sent", file=out)
    return 1 if s.failed or s.not_tried else 0

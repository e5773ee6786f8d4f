"""Mail benchmark: a synthetic archive of N briefings and M recipients, one month mailed.

Prints figures; asserts nothing (machines here are shared and noisy: compare ratios within one
run). Runs a cold dry run (digests rendered), a warm dry run (digests from the cache), a real
send to an SMTP server on loopback (aiosmtpd, discarding what it receives), and a rerun that
must send nothing. Usage: .venv/bin/python tests/bench/bench_mail.py [N] [M]
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from builder.mail.period import parse_word
from builder.mail.run import MailOptions, mail
from builder.pipeline import Options
from tests.bench.bench_build import BODY
from tests.mailhelp import free_port

PROJECT = Path(__file__).resolve().parents[2]
REGIONS = ["jiangyan", "hailing", "zhangjiagang", "jiaxing", "taizhou-zhejiang"]
SUBSCRIPTIONS = [*REGIONS, "taizhou-jiangsu", "jiangsu", "zhejiang"]


def make_corpus(root: Path, n: int) -> None:
    """N briefings spread evenly over 2024, regions in turn (about N/12 in each month)."""
    content = root / "content"
    shutil.copytree(PROJECT / "content", content, ignore=shutil.ignore_patterns("articles"))
    folder = content / "articles" / "2024"
    folder.mkdir(parents=True)
    for i in range(n):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=i * 366 // n)
        (folder / f"b{i:05d}.md").write_text(
            f"---\ntitle: Synthetic briefing {i}\ndate: {day.isoformat()}\n"
            f"region: {REGIONS[i % len(REGIONS)]}\ntopics: [investment, manufacturing]\n"
            f"summary: Synthetic summary number {i}.\nsource:\n  publisher: example.test\n"
            f'  title: "Source {i}"\n  published: {day.isoformat()}\nfigures:\n'
            f"  - indicator: manufacturing-investment\n    value: {1_000_000 * (i + 1)}\n"
            f"    unit: cny\n    kind: actual\n    period: '2024'\n---\n{BODY}"
        )


def make_recipients(path: Path, m: int) -> None:
    people = [
        {
            "name": f"Recipient {i}" if i % 2 else f"收件人{i}",
            "email": f"r{i:05d}@example.org",
            "lang": "zh" if i % 2 == 0 else "en",
            "regions": [SUBSCRIPTIONS[i % len(SUBSCRIPTIONS)], SUBSCRIPTIONS[(i * 7) % 8]],
        }
        for i in range(m)
    ]
    for p in people:
        p["regions"] = list(dict.fromkeys(p["regions"]))
    path.write_text(yaml.safe_dump(people, allow_unicode=True), "utf-8")


class Sink:
    """Accepts every message and keeps only counts (a thousand messages with PDFs are big)."""

    def __init__(self) -> None:
        self.count = 0
        self.bytes = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        self.bytes += len(envelope.content)
        await asyncio.sleep(0)
        return "250 OK"


def timed(label: str, fn: Any) -> tuple[float, str]:
    out = io.StringIO()
    start = time.perf_counter()
    code = fn(out)
    seconds = time.perf_counter() - start
    last = out.getvalue().strip().splitlines()
    summary = next((line for line in last if line.startswith("2024-")), "?")
    print(f"{label:<28} {seconds:7.2f} s  exit {code}  {summary}")
    return seconds, out.getvalue()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1717200000")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_corpus(root, n)
        people = Path(tmp) / "people.yaml"  # outside content/: the command refuses it there
        make_recipients(people, m)
        site = Options(root=root, templates=PROJECT / "templates")
        period = parse_word("2024-03")
        outbox = root / "outbox"
        print(f"{n} briefings, {m} recipients, period {period.key}")

        def dry(out: io.StringIO) -> int:
            return mail(MailOptions(site, people, period, dry_run=True, outbox=outbox), out=out)

        timed("dry run, digests cold", dry)
        warm, _ = timed("dry run, digests cached", dry)
        files = list((outbox / period.key).glob("*.eml"))
        size = sum(f.stat().st_size for f in files)
        print(
            f"  {len(files)} .eml files, {size / 1e6:.1f} MB; "
            f"{warm / max(len(files), 1) * 1000:.1f} ms a message"
        )

        sink = Sink()
        port = free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port, data_size_limit=0)
        controller.start()
        env = {"BRIEFINGS_SMTP_HOST": "127.0.0.1", "BRIEFINGS_SMTP_PORT": str(port)}
        try:

            def send(out: io.StringIO) -> int:
                return mail(MailOptions(site, people, period, outbox=outbox), env=env, out=out)

            sent, _ = timed("send over loopback SMTP", send)
            print(
                f"  server accepted {sink.count} messages, {sink.bytes / 1e6:.1f} MB; "
                f"{sink.count / sent:.1f} messages/s"
            )
            before = sink.count
            timed("rerun (all already sent)", send)
            print(f"  server received {sink.count - before} messages on the rerun")
        finally:
            controller.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MB (digests render in worker processes)")


if __name__ == "__main__":
    main()

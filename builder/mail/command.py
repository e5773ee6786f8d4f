"""`briefings mail` on the command line: its option rules and exit codes; the work is in run.py.

The parser's options are declared with the others in builder/cli.py; this module is loaded only
when the command is `mail`.
"""

from __future__ import annotations

import argparse
import sys

from builder.mail.period import from_span, parse_word
from builder.mail.run import MailOptions, mail
from builder.options import Options


def run_mail(args: argparse.Namespace, options: Options) -> int:
    """`briefings mail`: the options that only make sense together, then the run."""
    if args.drafts and not args.dry_run:
        # Drafts are unreviewed: they may be previewed as .eml files, never sent.
        print(
            "briefings: error: --drafts only with --dry-run: drafts are never sent", file=sys.stderr
        )
        return 2
    if args.forget and args.dry_run:
        print("briefings: error: --forget edits the ledger: not with --dry-run", file=sys.stderr)
        return 2
    if args.period and (args.start or args.end):
        print("briefings: error: give --period or --from/--to, not both", file=sys.stderr)
        return 2
    try:
        if args.period:
            period = parse_word(args.period)
        elif args.start and args.end:
            period = from_span(args.start, args.end)
        else:
            print(
                "briefings: error: give --period (e.g. 2024-03, 2024-Q1, 2024) "
                "or both --from and --to",
                file=sys.stderr,
            )
            return 2
    except ValueError as exc:
        print(f"briefings: error: {exc}", file=sys.stderr)
        return 2
    if args.rate is not None and args.rate <= 0:
        print("briefings: error: --rate must be above 0", file=sys.stderr)
        return 2
    return mail(
        MailOptions(
            options,
            args.recipients,
            period,
            dry_run=args.dry_run,
            outbox=args.outbox,
            rate_per_minute=args.rate,
            forget=tuple(args.forget),
        )
    )

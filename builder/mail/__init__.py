"""`briefings mail`: period digests emailed to stakeholders, one message each (docs/mail.md).

recipients.py  the recipients file, validated with positions
period.py      period words (2024-03, 2024-Q1, 2024) and spans
compose.py     one EmailMessage per recipient: text and HTML parts, digests attached
smtp.py        SMTP settings (site.yaml + BRIEFINGS_SMTP_*), one connection, retries
ledger.py      the SQLite send ledger: who was sent which period's message
run.py         the command: validate, render, compose, send or write .eml, report
command.py     its command-line rules (period words or a span, --dry-run, --forget)
"""

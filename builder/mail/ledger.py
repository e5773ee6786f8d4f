"""The send ledger: an SQLite file recording which address was sent which period's message.

One row per (address, period). Before a message's DATA goes out the row is marked `sending`;
the moment the server answers 250 it becomes `accepted` with the Message-ID and the reply, and
that is committed (synchronous=FULL: on disk) before anything else happens. A rerun sends to
every address whose row is not `accepted`.

The one window no client can close: the server has accepted the message and the process dies
before the commit. The row then still says `sending`, so the rerun sends again: the window errs
towards a duplicate, never towards a lost message, and the duplicate carries the same
Message-ID (mail clients and many servers drop it). The summary names such addresses.

`forget` removes rows on purpose (a resend) and bumps the address's generation, so the new
message gets a new Message-ID instead of being dropped as a duplicate of the first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sends (
    address TEXT NOT NULL,
    period TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sending', 'accepted', 'failed')),
    message_id TEXT NOT NULL,
    reply TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL,
    PRIMARY KEY (address, period)
);
CREATE TABLE IF NOT EXISTS generations (
    address TEXT NOT NULL,
    period TEXT NOT NULL,
    generation INTEGER NOT NULL,
    PRIMARY KEY (address, period)
);
"""


class LedgerBusy(Exception):
    """Another run holds the ledger: two runs at once could both send to one address."""


@contextlib.contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold `<folder>/ledger.lock` for a run (an flock: the kernel drops it when the process
    dies, even by SIGKILL, so a crash never leaves a stale lock behind)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "ledger.lock").open("a+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LedgerBusy(
                f"another 'briefings mail' is using {folder}: let it finish (a second run at "
                "the same time could send the same message twice)"
            ) from None
        yield


@dataclass(frozen=True)
class Row:
    address: str
    period: str
    state: str
    message_id: str
    reply: str
    updated: str


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # autocommit mode: each statement below is its own transaction, committed on return.
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, address: str, period: str) -> Row | None:
        cur = self.db.execute(
            "SELECT address, period, state, message_id, reply, updated FROM sends "
            "WHERE address = ? AND period = ?",
            (address, period),
        )
        found = cur.fetchone()
        return Row(*found) if found else None

    def rows(self, period: str) -> list[Row]:
        cur = self.db.execute(
            "SELECT address, period, state, message_id, reply, updated FROM sends "
            "WHERE period = ? ORDER BY address",
            (period,),
        )
        return [Row(*r) for r in cur.fetchall()]

    def generation(self, address: str, period: str) -> int:
        cur = self.db.execute(
            "SELECT generation FROM generations WHERE address = ? AND period = ?",
            (address, period),
        )
        found = cur.fetchone()
        return int(found[0]) if found else 0

    def _set(self, address: str, period: str, state: str, message_id: str, reply: str) -> None:
        self.db.execute(
            "INSERT INTO sends (address, period, state, message_id, reply, updated) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (address, period) DO UPDATE SET "
            "state = excluded.state, message_id = excluded.message_id, "
            "reply = excluded.reply, updated = excluded.updated",
            (address, period, state, message_id, reply, _now()),
        )

    def sending(self, address: str, period: str, message_id: str) -> None:
        self._set(address, period, "sending", message_id, "")

    def accepted(self, address: str, period: str, message_id: str, reply: str) -> None:
        self._set(address, period, "accepted", message_id, reply)

    def failed(self, address: str, period: str, message_id: str, reply: str) -> None:
        self._set(address, period, "failed", message_id, reply)

    def forget(self, period: str, addresses: list[str] | None) -> list[str]:
        """Drop the rows of `addresses` (None: everyone) for the period, so the next run sends
        to them again, with a new Message-ID. Returns the addresses forgotten."""
        chosen = [r.address for r in self.rows(period)]
        if addresses is not None:
            wanted = {a.lower() for a in addresses}
            chosen = [a for a in chosen if a in wanted]
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for address in chosen:
                self.db.execute(
                    "DELETE FROM sends WHERE address = ? AND period = ?", (address, period)
                )
                self.db.execute(
                    "INSERT INTO generations (address, period, generation) VALUES (?, ?, 1) "
                    "ON CONFLICT (address, period) DO UPDATE SET generation = generation + 1",
                    (address, period),
                )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return chosen


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

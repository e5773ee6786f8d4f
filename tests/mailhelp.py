"""A real SMTP server on loopback (aiosmtpd) for the `briefings mail` tests, with faults on demand.

The handler records each message it accepts with the connection it came on; it can refuse a
recipient for good (550), refuse a message once (451), drop the connection instead of accepting
(after N messages), or stall inside DATA (so a test can kill the client mid-message). A message
counts as delivered only when the handler answers 250 on a live connection, as a real server's
queue would.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    peer: Any  # (host, port) of the client: one value per connection

    @property
    def message(self) -> EmailMessage:
        msg = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        return msg


@dataclass
class Handler:
    refuse: set[str] = field(default_factory=set)  # RCPT answered 550
    fail_once: set[str] = field(default_factory=set)  # DATA answered 451 once per address
    drop_after: int | None = None  # after N accepted messages, drop every connection in DATA
    stall_after: int | None = None  # after N accepted messages, hang in DATA until released
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        to = envelope.rcpt_tos[0]
        if to in self.fail_once:
            self.fail_once.discard(to)
            return "451 4.3.0 try again later"
        if self.drop_after is not None and len(self.received) >= self.drop_after:
            server.transport.close()
            return "421 4.3.2 closing"
        if self.stall_after is not None and len(self.received) >= self.stall_after:
            self.stalled.set()
            while not self.release.is_set() and not server.transport.is_closing():
                await asyncio.sleep(0.05)
        if server.transport is None or server.transport.is_closing():
            return "421 4.3.2 gone"  # the client left: nothing was accepted
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, session.peer)
        )
        return f"250 2.0.0 Ok: queued as {len(self.received)}"

    def by_recipient(self) -> dict[str, list[Received]]:
        out: dict[str, list[Received]] = {}
        for r in self.received:
            for to in r.rcpt_tos:
                out.setdefault(to, []).append(r)
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """aiosmtpd on 127.0.0.1 in a thread; `env` points `briefings mail` at it."""

    def __init__(self) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> Server:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.handler.release.set()
        self.controller.stop()

    @property
    def env(self) -> dict[str, str]:
        return {
            "BRIEFINGS_SMTP_HOST": "127.0.0.1",
            "BRIEFINGS_SMTP_PORT": str(self.port),
            "BRIEFINGS_SMTP_SECURITY": "none",
        }

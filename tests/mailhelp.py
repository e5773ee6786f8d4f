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
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    peer: Any  # (host, port) of the client: one value per connection
    tls: bool = False  # came over TLS (STARTTLS or implicit)
    login: str | None = None  # the user name it authenticated as

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
        login = getattr(session, "test_login", None) if session.authenticated else None
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.content,
                session.peer,
                tls=server.transport.get_extra_info("ssl_object") is not None
                or server._tls_protocol is not None,
                login=login,
            )
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


@dataclass(frozen=True)
class Certs:
    ca: Path  # the authority's certificate: what a client must trust
    cert: Path  # the server's, for IP 127.0.0.1, signed by the authority
    key: Path


def make_certs(folder: Path) -> Certs:
    """A throwaway certificate authority and a server certificate for 127.0.0.1 (openssl)."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    (folder / "ext.cnf").write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
    )
    openssl(
        *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Test CA"),
        *("-keyout", "ca.key", "-out", "ca.pem"),
        *("-addext", "basicConstraints=critical,CA:TRUE"),
        *("-addext", "keyUsage=critical,keyCertSign,cRLSign"),
    )
    openssl(
        *("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1"),
        *("-keyout", "server.key", "-out", "server.csr"),
    )
    openssl(
        *("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key"),
        *("-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", "server.pem"),
    )
    return Certs(folder / "ca.pem", folder / "server.pem", folder / "server.key")


class Server:
    """aiosmtpd on 127.0.0.1 in a thread; `env` points `briefings mail` at it.

    `security` as the client names it: 'starttls' offers (and requires) STARTTLS, 'tls' speaks
    TLS from the first byte; `users` turns on AUTH (required, and only over TLS)."""

    def __init__(
        self,
        security: str = "none",
        certs: Certs | None = None,
        users: dict[str, str] | None = None,
    ) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.security = security
        kwargs: dict[str, Any] = {}
        if security != "none":
            assert certs is not None
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(certs.cert, certs.key)
            if security == "starttls":
                kwargs.update(tls_context=context, require_starttls=True)
            else:
                # aiosmtpd only counts STARTTLS as TLS when it decides whether to offer AUTH.
                kwargs.update(ssl_context=context, auth_require_tls=False)
        if users is not None:

            def check(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> Any:
                ok = users.get(auth.login.decode()) == auth.password.decode()
                session.test_login = auth.login.decode()
                return AuthResult(success=ok, handled=False)

            # Required over STARTTLS; over implicit TLS aiosmtpd cannot tell it is encrypted (and
            # warns), so there it is offered only: the test checks that the client logged in.
            kwargs.update(authenticator=check, auth_required=security == "starttls")
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

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
            "BRIEFINGS_SMTP_SECURITY": self.security,
        }

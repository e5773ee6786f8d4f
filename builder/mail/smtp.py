"""SMTP delivery: settings from site.yaml's `mail:` and BRIEFINGS_SMTP_* variables, one
connection reused for every message, bounded retries of temporary failures, an optional rate.

The SMTP conversation is driven step by step (MAIL, RCPT, DATA) rather than through
`sendmail()`, to know at which step a server refused and to keep its final reply for the ledger.
Replies 4xx, dropped connections and timeouts are temporary: the message is tried again after
a growing pause, on a new connection when the old one is gone. Replies 5xx are permanent for
that message. Failures no retry can fix (authentication, TLS) stop the run.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path

from builder.schema import MailSettings

MAX_PAUSE = 60.0  # seconds: the longest pause between two tries of one message
SECURITIES = ("starttls", "tls", "none")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # starttls | tls | none
    user: str | None
    password: str | None
    timeout: float
    retries: int
    retry_delay: float
    rate_per_minute: float | None
    ca_file: str | None = None  # extra trusted authorities (a private relay's own CA)

    def describe(self) -> str:
        login = f" as {self.user}" if self.user else ""
        return f"{self.host}:{self.port} ({self.security}){login}"


def smtp_settings(
    mail: MailSettings, env: Mapping[str, str], rate: float | None = None
) -> SmtpSettings:
    """site.yaml's settings with BRIEFINGS_SMTP_* variables on top; ValueError names a bad one."""

    def var(name: str) -> str | None:
        value = env.get(f"BRIEFINGS_SMTP_{name}", "").strip()
        return value or None

    port = mail.port
    if (text := var("PORT")) is not None:
        if not text.isdigit() or not 1 <= int(text) <= 65535:
            raise ValueError(f"BRIEFINGS_SMTP_PORT={text} is not a port number (1-65535)")
        port = int(text)
    security = var("SECURITY") or mail.security
    if security not in SECURITIES:
        raise ValueError(f"BRIEFINGS_SMTP_SECURITY={security}: use one of {', '.join(SECURITIES)}")
    user, password = var("USER"), env.get("BRIEFINGS_SMTP_PASSWORD") or None
    ca_file = var("CAFILE")
    if ca_file is not None and not Path(ca_file).is_file():
        raise ValueError(f"BRIEFINGS_SMTP_CAFILE={ca_file} is not a file")
    if password and not user:
        raise ValueError("BRIEFINGS_SMTP_PASSWORD is set without BRIEFINGS_SMTP_USER")
    return SmtpSettings(
        host=var("HOST") or mail.host,
        port=port,
        security=security,
        user=user,
        password=password,
        timeout=mail.timeout_seconds,
        retries=mail.retries,
        retry_delay=mail.retry_delay_seconds,
        rate_per_minute=rate or mail.rate_per_minute,
        ca_file=ca_file,
    )


class Permanent(Exception):
    """The server refused this message for good (5xx): record it, go on with the others."""


class Temporary(Exception):
    """Still failing after every retry (4xx, connection lost, timeout): the server is out."""


class Fatal(Exception):
    """Nothing can be sent with these settings (login refused, TLS failed)."""


class _Retry(Exception):
    def __init__(self, reason: str, *, reconnect: bool) -> None:
        super().__init__(reason)
        self.reconnect = reconnect


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}".strip()


class Transport:
    """One SMTP connection, opened on first use and reused; `send` retries as documented."""

    def __init__(
        self,
        settings: SmtpSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        on_retry: Callable[[str, float], None] | None = None,
    ) -> None:
        self.settings = settings
        self.sleep = sleep
        self.clock = clock
        self.on_retry = on_retry
        self.conn: smtplib.SMTP | None = None
        self.last_send: float | None = None
        self.connections = 0  # how many connections were opened (one, when all goes well)

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                self.conn.close()
            self.conn = None

    def _drop(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(OSError):
                self.conn.close()
            self.conn = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context(cafile=s.ca_file)
        conn: smtplib.SMTP
        try:
            if s.security == "tls":
                conn = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            conn.ehlo()
            if s.security == "starttls":
                if not conn.has_extn("starttls"):
                    raise Fatal(f"{s.host} does not offer STARTTLS (set security: tls or none)")
                conn.starttls(context=context)
                conn.ehlo()
            if s.user:
                conn.login(s.user, s.password or "")
        except ssl.SSLCertVerificationError as exc:
            raise Fatal(f"TLS certificate of {s.host} not trusted: {exc.verify_message}") from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise Fatal(f"{s.host} offers no login (AUTH) on this connection: {exc}") from exc
        except smtplib.SMTPAuthenticationError as exc:
            reason = _reply(exc.smtp_code, exc.smtp_error)
            raise Fatal(f"login as {s.user} refused: {reason}") from exc
        except smtplib.SMTPResponseException as exc:
            raise _Retry(_reply(exc.smtp_code, exc.smtp_error), reconnect=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise _Retry(f"cannot connect to {s.describe()}: {exc}", reconnect=True) from exc
        self.connections += 1
        return conn

    def _pace(self) -> None:
        rate = self.settings.rate_per_minute
        if rate and self.last_send is not None:
            wait = self.last_send + 60.0 / rate - self.clock()
            if wait > 0:
                self.sleep(wait)
        self.last_send = self.clock()

    def send(self, msg: EmailMessage, sender: str, to: str) -> str:
        """Deliver to one address; the server's final reply. Raises Permanent, Temporary or
        Fatal; `before_data` is not needed: the caller marks the ledger before calling."""
        data = msg.as_bytes(policy=SMTP_POLICY)
        pause = self.settings.retry_delay
        for attempt in range(self.settings.retries + 1):
            self._pace()
            try:
                return self._once(data, sender, to)
            except _Retry as retry:
                if retry.reconnect:
                    self._drop()
                if attempt == self.settings.retries:
                    raise Temporary(str(retry)) from None
                if self.on_retry:
                    self.on_retry(str(retry), pause)
                self.sleep(pause)
                pause = min(pause * 2, MAX_PAUSE)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _once(self, data: bytes, sender: str, to: str) -> str:
        if self.conn is None:
            self.conn = self._connect()
        conn = self.conn
        try:
            code, text = conn.mail(sender)
            self._check(code, text, "sender")
            code, text = conn.rcpt(to)
            self._check(code, text, "recipient", ok=(250, 251))
            code, text = conn.data(data)
            self._check(code, text, "message")
        except smtplib.SMTPServerDisconnected as exc:
            raise _Retry(f"connection lost: {exc or 'server closed it'}", reconnect=True) from exc
        except smtplib.SMTPResponseException as exc:  # DATA refused before the text was sent
            self._check(exc.smtp_code, exc.smtp_error, "message")
        except TimeoutError as exc:
            raise _Retry("timed out waiting for the server", reconnect=True) from exc
        except OSError as exc:
            raise _Retry(f"connection failed: {exc}", reconnect=True) from exc
        return _reply(code, text)

    def _check(self, code: int, text: bytes | str, step: str, ok: tuple[int, ...] = (250,)) -> None:
        if code in ok:
            return
        reply = _reply(code, text)
        if code == 421 or code < 0:  # the server is closing the connection
            raise _Retry(f"{step}: {reply}", reconnect=True)
        self._reset()
        if 400 <= code < 500:
            raise _Retry(f"{step}: {reply}", reconnect=self.conn is None)
        raise Permanent(f"{step} refused: {reply}")

    def _reset(self) -> None:
        """RSET after a refusal, so the next message starts clean; a dead link is dropped."""
        if self.conn is None:
            return
        try:
            self.conn.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

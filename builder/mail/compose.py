"""One message per recipient: what it says (a prepared context, in the recipient's language) and
the EmailMessage that carries it (text and HTML parts, the period digests attached as PDF).

Every header is set through `email.message.EmailMessage` and `email.headerregistry.Address`
(never a string glued together): the policy encodes non-ASCII names (RFC 2047) and refuses
line breaks in header values; the recipients file has refused them already.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY

import jinja2

from builder import urls
from builder.i18n import Formatter
from builder.index import SiteModel
from builder.mail.period import MailPeriod
from builder.mail.recipients import Recipient
from builder.model import Briefing, Region
from builder.schema import MailSettings
from builder.templating import render_template

MAX_FIGURES = 6  # headline figures per region: the digest has the full table


@dataclass(frozen=True)
class Headline:
    title: str
    url: str
    date: str
    summary: str


@dataclass(frozen=True)
class Section:
    """A subscribed region's part of a message: its briefings of the period, a few figures."""

    region: Region
    name: str
    url: str
    headlines: tuple[Headline, ...]
    figures: tuple[str, ...]
    attachment: str  # the file name of its digest


def covered_regions(model: SiteModel, recipient: Recipient, period: MailPeriod) -> list[Region]:
    """The recipient's regions with briefings in the period, in file order; a region below
    another subscribed region is left out, since that region's digest includes it."""
    chosen = set(recipient.regions)
    out: list[Region] = []
    for slug in recipient.regions:
        region = model.gazetteer[slug]
        if any(a in chosen for a in region.lineage[:-1]):
            continue
        if any(period.span.contains(b.date) for b in model.in_region(slug)):
            out.append(region)
    return out


def attachment_name(region: Region, lang: str, period: MailPeriod) -> str:
    # ASCII on purpose: every mail client shows it, and the slug and period say what it is.
    return f"{region.slug}_{period.key.replace('..', '_')}_{lang}.pdf"


def sections(
    model: SiteModel, fmt: Formatter, regions: list[Region], period: MailPeriod
) -> list[Section]:
    base = model.config.base_url
    lang = fmt.lang
    out = []
    for region in regions:
        items = [b for b in model.in_region(region.slug) if period.span.contains(b.date)]
        out.append(
            Section(
                region=region,
                name=region.name.get(lang),
                url=urls.absolute(base, urls.region(lang, region)),
                headlines=tuple(_headline(base, b, lang, fmt) for b in items),
                figures=tuple(_figures(model, items, fmt)),
                attachment=attachment_name(region, lang, period),
            )
        )
    return out


def _headline(base: str, b: Briefing, lang: str, fmt: Formatter) -> Headline:
    text = b.text(lang)  # the original when there is no translation, linked in its language
    url = urls.absolute(base, urls.briefing(text.lang, b))
    return Headline(text.title, url, fmt.date(b.date), text.summary)


def _figures(model: SiteModel, items: list[Briefing], fmt: Formatter) -> list[str]:
    lines = []
    for b in items:
        for f in b.figures:
            name = model.indicators[f.indicator].name.get(fmt.lang)
            words = {
                "indicator": name,
                "value": fmt.figure_full(f),
                "kind": fmt.kind(f.kind),
                "period": fmt.period(f.period),
            }
            if f.period:
                line = fmt.gettext("%(indicator)s: %(value)s (%(kind)s, %(period)s)") % words
            else:
                line = fmt.gettext("%(indicator)s: %(value)s (%(kind)s)") % words
            lines.append(line)
    return lines[:MAX_FIGURES]


def message_id(recipient: Recipient, period: MailPeriod, generation: int, domain: str) -> str:
    """Stable for a recipient, period and generation (a deliberate resend is a new one)."""
    seed = f"{recipient.key}\0{period.key}\0{generation}".encode()
    token = hashlib.sha256(seed).hexdigest()[:24]
    return f"<briefings.{period.key.replace('..', '_')}.{token}@{domain}>"


def compose(
    model: SiteModel,
    env: jinja2.Environment,
    recipient: Recipient,
    period: MailPeriod,
    parts: list[Section],
    digests: Mapping[tuple[str, str], bytes],
    settings: MailSettings,
    *,
    msgid: str,
    date: dt.datetime,
) -> EmailMessage:
    fmt = env.globals["fmt"]
    assert isinstance(fmt, Formatter)
    assert settings.sender is not None
    lang = recipient.lang
    site = model.config.title.get(lang)
    contact = settings.unsubscribe or settings.sender
    label = period.label(fmt)
    sep = fmt.language.list_separator
    names = sep.join(s.name for s in parts)
    subscribed = sep.join(model.gazetteer[slug].name.get(lang) for slug in recipient.regions)
    count = sum(len(s.headlines) for s in parts)
    context = {
        "recipient": recipient,
        "sections": parts,
        "site_title": site,
        "site_url": urls.absolute(model.config.base_url, urls.home(lang)),
        "greeting": fmt.gettext("Dear %(name)s,") % {"name": recipient.name},
        "intro": fmt.ngettext(
            "Here is %(num)d new briefing from %(period)s on the regions you follow.",
            "Here are %(num)d new briefings from %(period)s on the regions you follow.",
            count,
        )
        % {"num": count, "period": label},
        "attached": fmt.ngettext(
            "The region's PDF digest is attached.",
            "Each region's PDF digest is attached.",
            len(parts),
        ),
        "figures_label": fmt.gettext("Headline figures"),
        "more_label": fmt.gettext("All briefings on %(region)s"),
        "attachment_label": fmt.gettext("Attached: %(file)s"),
        "footer": fmt.gettext(
            "You receive this because you subscribed to briefings on %(regions)s from "
            "%(site)s; to unsubscribe or change your regions, write to %(address)s."
        )
        % {"regions": subscribed, "site": site, "address": contact},
        "html_lang": fmt.html_lang,
    }
    subject = fmt.gettext("%(site)s: %(period)s briefings on %(regions)s") % {
        "site": site,
        "period": label,
        "regions": names,
    }
    text = render_template(env, "mail/message.txt", **context).decode("utf-8")
    html = render_template(env, "mail/message.html", subject=subject, **context).decode("utf-8")

    msg = EmailMessage(policy=SMTP_POLICY)
    from_name = (settings.sender_name.get(lang) if settings.sender_name else None) or site
    msg["From"] = Address(from_name, addr_spec=settings.sender)
    msg["To"] = Address(recipient.name, addr_spec=recipient.email)
    msg["Reply-To"] = Address(from_name, addr_spec=contact)
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(date)
    msg["Message-ID"] = msgid
    msg["List-Unsubscribe"] = f"<mailto:{contact}?subject=unsubscribe>"
    msg["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps every line 7-bit and short, whatever the relay supports.
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    for s in parts:
        msg.add_attachment(
            digests[(lang, s.region.slug)],
            maintype="application",
            subtype="pdf",
            filename=s.attachment,
        )
    # After the attachments: making the message multipart moves Content-* headers into a part.
    msg["Content-Language"] = fmt.html_lang
    # Boundaries from the Message-ID, not random: a dry run writes the same bytes every time.
    token = hashlib.sha256(msgid.encode()).hexdigest()[:20]
    for n, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_briefings_{token}_{n}")
    return msg

"""Building and delivering one letter over SMTP (or into the local outbox)."""
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from flask import current_app


class MailConfigError(ValueError):
    pass


def parse_smtp_url(url: str) -> dict:
    """``smtp://user:pass@host:587?starttls=1`` / ``smtps://…:465`` → connection settings."""
    parsed = urlparse(url)
    if parsed.scheme not in ("smtp", "smtps") or not parsed.hostname:
        raise MailConfigError(f"SMTP_URL must look like smtp://user:pass@host:port, got {url!r}")
    query = parse_qs(parsed.query)
    return {
        "ssl": parsed.scheme == "smtps",
        "host": parsed.hostname,
        "port": parsed.port or (465 if parsed.scheme == "smtps" else 25),
        "user": unquote(parsed.username) if parsed.username else None,
        "password": unquote(parsed.password) if parsed.password else None,
        "starttls": query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
    }


def build_message(*, to: list[str], subject: str, text: str, html: str | None = None,
                  from_name: str | None = None, reply_to: str | None = None,
                  headers: dict | None = None, message_id: str | None = None) -> EmailMessage:
    """A multipart letter (plain text, and HTML when given) from MAIL_FROM; ``message_id``
    when the caller names it (letters about a ticket carry one that threads replies)."""
    message = EmailMessage()
    sender = current_app.config["MAIL_FROM"]
    message["From"] = formataddr((from_name, sender)) if from_name else sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain=mail_domain())
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    # After the content: setting it drops Content-* headers (Content-Language is one).
    for name, value in (headers or {}).items():
        message[name] = value
    return message


def mail_domain() -> str:
    """The domain of MAIL_FROM: the right-hand side of the Message-IDs we make."""
    return current_app.config["MAIL_FROM"].rsplit("@", 1)[-1].strip(">") or "localhost"


def deliver(message: EmailMessage) -> str:
    """Send through SMTP_URL, or write to instance/outbox when it is not set; returns where."""
    url = current_app.config.get("SMTP_URL")
    if not url:
        outbox = Path(current_app.instance_path) / "outbox"
        outbox.mkdir(parents=True, exist_ok=True)
        path = outbox / f"{uuid.uuid4().hex}.eml"
        path.write_bytes(bytes(message))
        return str(path)
    settings = parse_smtp_url(url)
    if settings["ssl"]:
        client = smtplib.SMTP_SSL(settings["host"], settings["port"], timeout=30,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(settings["host"], settings["port"], timeout=30)
    with client:
        if settings["starttls"]:
            client.starttls(context=ssl.create_default_context())
        if settings["user"]:
            client.login(settings["user"], settings["password"] or "")
        client.send_message(message)
    return f"smtp://{settings['host']}:{settings['port']}"

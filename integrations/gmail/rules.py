"""Letters that are not requests: skipped, with the reason recorded.

The reasons (codes kept in the ingestion log): ``auto_reply`` (``Auto-Submitted`` other than
``no``, ``X-Autoreply``/``X-Autorespond``), ``bulk`` (``Precedence: bulk|junk|list``),
``bounce`` (mailer-daemon, postmaster, ``multipart/report``), ``own_address`` (sent from the
mailbox's own address), ``own_letter`` (a letter this help desk sent: our header, or Gmail's
SENT/DRAFT labels).
"""
from integrations.gmail.mime import Letter

REASONS = ("own_letter", "auto_reply", "bulk", "bounce", "own_address")
OWN_HEADER = "X-Helpdesk-Letter"  # on every letter the help desk sends through Gmail
BOUNCERS = ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon")


def skip_reason(letter: Letter, *, own_addresses: set[str],
                labels: tuple[str, ...] = ()) -> str | None:
    """Why ``letter`` is not a request, or None when it is one."""
    headers = letter.headers
    if OWN_HEADER.lower() in headers or {"SENT", "DRAFT"} & set(labels):
        return "own_letter"
    local = letter.from_address.split("@", 1)[0]
    if local in BOUNCERS or letter.content_type == "multipart/report" \
            or "x-failed-recipients" in headers:
        return "bounce"
    auto = headers.get("auto-submitted", "").strip().lower()
    if (auto and not auto.startswith("no")) or "x-autoreply" in headers \
            or "x-autorespond" in headers:
        return "auto_reply"
    if headers.get("precedence", "").strip().lower() in ("bulk", "junk", "list"):
        return "bulk"
    if letter.from_address and letter.from_address in own_addresses:
        return "own_address"
    return None

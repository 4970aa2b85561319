"""One Gmail message into the log, and into a ticket: skipped (with why), a new ticket
through the one ``register_ticket`` (routing, stop lists, quota, SLA all apply), or a new
message of the ticket it continues.

The log entry is written in the same transaction as the ticket: its unique key (tenant,
mailbox, Gmail id) is what a second sync of the same message stops at, and a sync that
lost that race rolls its ticket back with it. Functions here flush and never commit, so a
worker killed at any point leaves each message either fully imported or not at all.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.api.limits import MAX_BODY, MAX_SUBJECT
from app.attachments.service import NewFile, check_files
from app.customers.registration import Requesters, register_requester
from app.db_types import utcnow
from app.errors import ServiceError
from app.extensions import db
from app.mailbox import inline, original
from app.mailbox.models import LogEntry, Mailbox, OutgoingReply
from app.mailbox.threads import find_ticket
from app.tickets import service as tickets
from app.tickets.sanitize import HTML, TEXT
from app.tickets.settings import get_settings
from billing.limits import claim_slots_ahead, return_unused_slots
from integrations.gmail import mime, quotes, rules
from integrations.gmail.client import Fetched
from tenants import context


@dataclass
class Body:
    text: str
    format: str
    notes: list[str]


def _body(letter: mime.Letter) -> Body:
    """The text part without its quoted history (preferred), else the HTML part's."""
    notes = []
    if letter.text.strip():
        text, body_format = quotes.strip_text(letter.text), TEXT
    elif letter.html.strip():
        text, body_format = quotes.strip_html(letter.html), HTML
    else:
        text, body_format = "", TEXT
    if len(text) > MAX_BODY:
        text = text[:MAX_BODY]
        notes.append(f"body cut to {MAX_BODY} characters")
    if not text.strip():
        text, body_format = _("(no text)"), TEXT
    return Body(text, body_format, notes)


def _files(letter: mime.Letter) -> tuple[list[NewFile], list[str]]:
    """The files within the tenant's rules; the others are named in the notes."""
    if not letter.files:
        return [], []
    rules_ = get_settings("attachments")
    kept, notes = [], []
    for file in letter.files:
        candidate = NewFile(filename=file.filename, data=file.data)
        if len(kept) >= int(rules_["max_files"]):
            notes.append(f"file left out (too many files): {file.filename}")
            continue
        try:
            check_files([candidate])
        except ServiceError as exc:
            notes.append(f"file left out: {exc.message}")
            continue
        kept.append(candidate)
    return kept, notes


def imported_ids(message_ids: list[str]) -> set[str]:
    """Which of these Message-IDs the tenant has imported already (one query for a batch)."""
    wanted = sorted({value[:300] for value in message_ids if value})
    if not wanted:
        return set()
    return set(db.session.scalars(select(LogEntry.message_id).where(
        LogEntry.message_id.in_(wanted), LogEntry.status == "imported")))


def _ours(letter: mime.Letter) -> bool:
    """A letter we sent (its Message-ID is one of our replies'); only our own ids are
    looked up."""
    if not letter.message_id.startswith("<ticket-"):
        return False
    return db.session.scalar(select(OutgoingReply.id).where(
        OutgoingReply.rfc_message_id == letter.message_id[:300]).limit(1)) is not None


@dataclass
class Outcome:
    letter: mime.Letter
    status: str
    reason: str
    ticket: object = None


def _skip(mailbox_email: str, fetched: Fetched, letter: mime.Letter,
          imported: set[str]) -> str | None:
    """Why the message is skipped, or None."""
    reason = rules.skip_reason(letter, own_addresses={mailbox_email}, labels=fetched.labels)
    if reason is None and _ours(letter):
        reason = "own_letter"
    message_id = letter.message_id[:300]
    if reason is None and message_id and message_id in imported:
        reason = "duplicate"
    return reason


def prepare_batch(mailbox_email: str, fetched: list[Fetched],
                  letters: list[mime.Letter | None], imported: set[str]) -> Requesters:
    """What the batch's messages that will be imported need, done for all of them at once
    instead of for each: their requesters found or registered (``Requesters``, one
    statement), and the day's quota slots for the tickets they may open claimed ahead (one
    statement; ``finish_batch`` gives back those not taken)."""
    pairs = [(letter.from_address, letter.from_name or None)
             for one, letter in zip(fetched, letters, strict=True)
             if letter is not None and one.error is None and letter.from_address
             and _skip(mailbox_email, one, letter, imported) is None]
    claim_slots_ahead(context.current_tenant_id(), len(pairs))
    return Requesters(pairs)


def finish_batch() -> None:
    """Before the batch's commit: the quota slots claimed ahead that no ticket took go
    back."""
    return_unused_slots()


def _act(mailbox_email: str, fetched: Fetched, letter: mime.Letter | None,
         imported: set[str] | None, requesters: Requesters | None = None) -> Outcome:
    """Read the message and act on it: skip it, fail it, or write it into a ticket.
    ``imported``: the Message-IDs known imported (a batch's, kept up to date here);
    ``requesters``: the batch's (``prepare_batch``)."""
    letter = letter if letter is not None else mime.parse(fetched.raw or b"")
    message_id = letter.message_id[:300]
    if imported is None:
        imported = imported_ids([message_id])
    reason = _skip(mailbox_email, fetched, letter, imported)
    if reason is not None:
        return Outcome(letter, "skipped", reason)
    if not letter.from_address:
        problems = f" ({'; '.join(letter.problems)})" if letter.problems else ""
        return Outcome(letter, "failed", "no sender address" + problems)
    body = _body(letter)
    files, file_notes = _files(letter)
    # Gmail names a thread after its first message: a message that starts one continues
    # nothing by its thread.
    thread = fetched.thread_id if fetched.thread_id != fetched.gmail_id else ""
    ticket, rule = find_ticket(letter, thread_id=thread)
    stored = None
    if ticket is not None:
        customer = register_requester(email=letter.from_address, name=letter.from_name or None,
                                      requesters=requesters)
        message = tickets.add_customer_message(ticket=ticket, customer=customer, body=body.text,
                                               attachments=files, body_format=body.format)
    else:
        received = letter.date if letter.date and letter.date <= utcnow() else None
        new = tickets.register_ticket(
            actor=None, channel="email", subject=letter.subject[:MAX_SUBJECT], body=body.text,
            body_format=body.format, requester_email=letter.from_address,
            requester_name=letter.from_name or None, attachments=files,
            received_at=received, requesters=requesters)
        ticket, message, stored = new.ticket, new.message, new.attachments
    if body.format == HTML:
        inline.link_images(message, body.text, letter, stored)
    original.keep(message.id, fetched.raw)
    notes = [rule] + (["spam"] if ticket.spam else []) + body.notes + file_notes \
        + letter.problems
    if message_id:
        imported.add(message_id)
    return Outcome(letter, "imported", "; ".join(notes)[:2000], ticket)


def _fill(entry: LogEntry, outcome: Outcome) -> LogEntry:
    letter = outcome.letter
    entry.message_id = letter.message_id[:300]
    entry.from_address = letter.from_address[:254]
    entry.subject = letter.subject[:MAX_SUBJECT]
    entry.status, entry.reason = outcome.status, outcome.reason
    if outcome.ticket is not None:
        entry.ticket_id, entry.ticket_number = outcome.ticket.id, outcome.ticket.number
    entry.updated_at = utcnow()
    return entry


def import_new(mailbox_id: int, mailbox_email: str, fetched: Fetched, *,
               letter: mime.Letter | None = None, imported: set[str] | None = None,
               requesters: Requesters | None = None, flush: bool = True) -> LogEntry:
    """Import a message not in the log yet, and log it. The entry is flushed last: if
    another sync logged the message meanwhile, its unique key raises IntegrityError and
    the caller's rollback takes the ticket back too. A batch passes the letters it parsed,
    the Message-IDs imported (``imported_ids``) and its requesters (``prepare_batch``),
    and ``flush`` False: the entries of the batch (and their events) are then written
    together by the batch's commit, each lookup of a thread or a cited letter flushing
    those before it (autoflush), so a message still continues one imported just before."""
    outcome = _act(mailbox_email, fetched, letter, imported, requesters)
    entry = _fill(LogEntry(mailbox_id=mailbox_id, gmail_id=fetched.gmail_id,
                           thread_id=fetched.thread_id[:64], attempts=1), outcome)
    db.session.add(entry)
    if flush:
        db.session.flush()
    return entry


def import_into(entry: LogEntry, mailbox: Mailbox, fetched: Fetched) -> LogEntry:
    """Import a message again into its (failed) entry."""
    _fill(entry, _act(mailbox.email, fetched, None, None))
    db.session.flush()
    return entry


def record_failure(mailbox_id: int, fetched: Fetched, error: str) -> LogEntry:
    """After a rolled-back attempt: the entry (new or existing) marked failed with the
    error, and what could be read of the message for the log's columns."""
    entry = db.session.scalar(select(LogEntry).where(LogEntry.mailbox_id == mailbox_id,
                                                     LogEntry.gmail_id == fetched.gmail_id))
    if entry is None:
        entry = LogEntry(mailbox_id=mailbox_id, gmail_id=fetched.gmail_id,
                         thread_id=fetched.thread_id[:64], attempts=0)
        db.session.add(entry)
    if fetched.raw:
        letter = mime.parse(fetched.raw)
        entry.message_id = letter.message_id[:300]
        entry.from_address = letter.from_address[:254]
        entry.subject = letter.subject[:MAX_SUBJECT]
    entry.status, entry.reason = "failed", error[:2000]
    entry.attempts = (entry.attempts or 0) + 1
    entry.updated_at = utcnow()
    db.session.flush()
    return entry

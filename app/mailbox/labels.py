"""Imported messages get a label in the Gmail mailbox ("Helpdesk", or ``GMAIL_LABEL``), so
the people who read the mailbox see what the help desk took.

The label is looked up by name (labels.list) or created (labels.create) once, and its id
kept on the mailbox row. Each batch's imported messages are labelled with one
messages.batchModify, after the batch has committed: a refusal never undoes or repeats an
import. The messages Gmail did not label are marked in the log (``label_pending``) and the
mailbox (``labels_behind``), and the end of the next sync labels them.
"""
import logging

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.mailbox.models import LogEntry, Mailbox
from app.unit_of_work import commit
from integrations.gmail.client import Gmail, GmailError

log = logging.getLogger(__name__)
DEFAULT_NAME = "Helpdesk"
MAX_IDS = 1000  # messages.batchModify takes at most this many ids
# Mailbox id -> its label's id, per process: a batch's labelling then reads no row. A label
# deleted in Gmail is refused (400) and forgotten here and on the row.
_KNOWN: dict[int, str] = {}


def label_name() -> str:
    return current_app.config.get("GMAIL_LABEL") or DEFAULT_NAME


def _find(gmail: Gmail, name: str) -> str | None:
    wanted = name.casefold()  # Gmail's label names differ by more than case
    return next((label["id"] for label in gmail.labels()
                 if str(label.get("name", "")).casefold() == wanted), None)


def ensure_label(gmail: Gmail, mailbox: Mailbox) -> str:
    """The id of the mailbox's label: kept, found by name, or created (and then kept)."""
    if mailbox.label_id:
        return mailbox.label_id
    name = label_name()
    found = _find(gmail, name)
    if found is None:
        try:
            found = gmail.create_label(name)["id"]
        except GmailError as exc:
            if exc.status != 409:  # 409: made meanwhile (another sync, or a person)
                raise
            found = _find(gmail, name)
            if found is None:
                raise
    mailbox.label_id = found
    commit()
    return found


def _label(gmail: Gmail, mailbox_id: int, gmail_ids: list[str]) -> None:
    label_id = _KNOWN.get(mailbox_id)
    if label_id is None:
        label_id = _KNOWN[mailbox_id] = ensure_label(gmail, db.session.get(Mailbox, mailbox_id))
    try:
        for start in range(0, len(gmail_ids), MAX_IDS):
            gmail.batch_modify(gmail_ids[start:start + MAX_IDS], add=[label_id])
    except GmailError as exc:
        if exc.status in (400, 404):  # the label was deleted in Gmail: find or make it anew
            _KNOWN.pop(mailbox_id, None)
            db.session.get(Mailbox, mailbox_id).label_id = None
            commit()
        raise


def label_imported(gmail: Gmail, mailbox_id: int, gmail_ids: list[str]) -> bool:
    """Label messages just imported (their batch committed); on any failure mark them for
    the next sync and say False."""
    if not gmail_ids:
        return True
    try:
        _label(gmail, mailbox_id, gmail_ids)
        return True
    except Exception as exc:  # labelling is a courtesy: it never breaks the sync
        db.session.rollback()
        log.warning("gmail labels of mailbox %s not applied (%d messages, next sync "
                    "tries again): %s", mailbox_id, len(gmail_ids), exc)
    db.session.execute(update(LogEntry).where(
        LogEntry.mailbox_id == mailbox_id, LogEntry.gmail_id.in_(gmail_ids))
        .values(label_pending=True))
    db.session.get(Mailbox, mailbox_id).labels_behind = True
    commit()
    return False


def catch_up(gmail: Gmail, mailbox_id: int) -> bool:
    """Label the messages a failure left unlabelled (``labels_behind``); True when none
    wait any more."""
    try:
        while True:
            ids = list(db.session.scalars(select(LogEntry.gmail_id).where(
                LogEntry.mailbox_id == mailbox_id, LogEntry.label_pending.is_(True))
                .order_by(LogEntry.id).limit(MAX_IDS)))
            if not ids:
                break
            _label(gmail, mailbox_id, ids)
            db.session.execute(update(LogEntry).where(
                LogEntry.mailbox_id == mailbox_id, LogEntry.gmail_id.in_(ids))
                .values(label_pending=False))
            commit()
        db.session.get(Mailbox, mailbox_id).labels_behind = False
        commit()
        return True
    except Exception as exc:  # still behind: the next sync tries again
        db.session.rollback()
        log.warning("gmail labels of mailbox %s still not applied: %s", mailbox_id, exc)
        return False

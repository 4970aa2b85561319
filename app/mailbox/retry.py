"""A failed log entry tried again: the message fetched from Gmail anew and imported."""
from flask_babel import gettext as _

from app.errors import Conflict, NotFound
from app.extensions import db
from app.jobs import enqueue, tenant_job
from app.mailbox import access, importer, labels, reconnect
from app.mailbox.mailboxes import connected_mailbox
from app.mailbox.models import LogEntry
from app.staff.roles import ADMINS, require_role
from app.unit_of_work import commit
from integrations.gmail import vault
from integrations.gmail.client import Fetched, GmailError
from integrations.gmail.oauth import DeadToken


def entry_or_404(entry_id: int) -> LogEntry:
    entry = db.session.get(LogEntry, entry_id)
    if entry is None:
        raise NotFound(_("Log entry not found."))
    return entry


def request_retry(*, actor, entry_id: int) -> LogEntry:
    """Admins: queue a failed entry's message to be fetched and imported again."""
    require_role(actor, ADMINS)
    entry = entry_or_404(entry_id)
    if entry.status != "failed":
        raise Conflict(_("Only failed messages can be tried again."))
    if connected_mailbox() is None:
        raise Conflict(_("Connect the Gmail mailbox first."))
    enqueue(retry_entry_job, entry.tenant_id, entry.id)
    return entry


@tenant_job
def retry_entry_job(tenant_id: int, entry_id: int) -> str:
    """Fetch a failed message again and import it."""
    return retry_entry(entry_id)


def retry_entry(entry_id: int) -> str:
    """The job's work: fetch the message again and import it into its entry."""
    entry = db.session.get(LogEntry, entry_id)
    mailbox = connected_mailbox()
    if entry is None or entry.status != "failed" or mailbox is None:
        return "nothing to do"
    try:
        gmail = access.gmail_for(mailbox)
        fetched = gmail.fetch_one(entry.gmail_id)
    except DeadToken as exc:
        reconnect.needs_reconnecting(mailbox, str(exc))
        return "needs_reconnect"
    except (GmailError, vault.Unreadable) as exc:
        importer.record_failure(mailbox.id, Fetched(entry.gmail_id), f"Gmail: {exc}")
        return "failed"
    if fetched.error is not None:
        importer.record_failure(mailbox.id, fetched, f"Gmail: {fetched.error}")
        return "failed"
    entry.attempts += 1
    mailbox_id = mailbox.id
    try:
        importer.import_into(entry, mailbox, fetched)
        status = entry.status
        commit()
    except Exception as exc:  # logged again as failed, never lost
        db.session.rollback()
        importer.record_failure(mailbox.id, fetched, f"{exc.__class__.__name__}: {exc}")
        return "failed"
    if status == "imported":
        labels.label_imported(gmail, mailbox_id, [fetched.gmail_id])
    return status

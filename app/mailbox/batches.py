"""Importing one batch of fetched messages, for a mailbox's sync (``Syncer`` mixes this
in): the batch in one transaction (parsed once, its requesters registered and its quota
slots claimed together, its log entries and events written by the commit); if any message
breaks it, each message again in a transaction of its own, so the one that breaks is
logged failed and the others imported. The imported messages are labelled in Gmail after
the commit.
"""
import logging

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.mailbox import importer, labels
from app.settings_cache import versions_pinned
from app.unit_of_work import commit
from integrations.gmail import mime
from integrations.gmail.client import Fetched

log = logging.getLogger(__name__)


def relaxed_commit() -> None:
    """This transaction's commit need not wait for the disk (PostgreSQL): the write-ahead
    log is flushed in order, so a crash may lose the last few imports but never one whose
    later position (committed normally) survived: the next sync imports them again."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))


class BatchImport:
    """The batch part of a sync: needs ``mailbox_id``, ``mailbox_email``, ``gmail``,
    ``result`` and ``_progress(count)`` of the class it is mixed into."""

    def _batch(self, fetched: list[Fetched]) -> None:
        """Import a batch in one transaction; if any message breaks it, again one message
        per transaction, so the one that breaks is logged failed and the others imported."""
        try:
            with versions_pinned():
                relaxed_commit()
                letters = [mime.parse(one.raw) if one.error is None else None
                           for one in fetched]
                imported = importer.imported_ids([x.message_id for x in letters if x])
                requesters = importer.prepare_batch(self.mailbox_email, fetched, letters,
                                                    imported)
                statuses = [self._import(one, letter, imported, requesters)
                            for one, letter in zip(fetched, letters, strict=True)]
                importer.finish_batch()
                self._progress(len(fetched))
                commit()
        except Exception:  # the slow path below logs which message broke, and why
            log.warning("gmail batch of %d messages of mailbox %s: one transaction each",
                        len(fetched), self.mailbox_id, exc_info=True)
            db.session.rollback()
            statuses = [self._one(one) for one in fetched]
            self._progress(len(fetched))
            commit()
        for status in statuses:
            if status:
                setattr(self.result, status, getattr(self.result, status) + 1)
        labels.label_imported(self.gmail, self.mailbox_id, [
            one.gmail_id for one, status in zip(fetched, statuses, strict=True)
            if status == "imported"])

    def _import(self, fetched: Fetched, letter=None, imported=None, requesters=None) -> str:
        """One message; in a batch (``letter`` parsed, ``requesters`` registered) its log
        entry is written with the batch's commit."""
        if fetched.error is not None:
            importer.record_failure(self.mailbox_id, fetched, f"Gmail: {fetched.error}")
            return "failed"
        return importer.import_new(self.mailbox_id, self.mailbox_email, fetched,
                                   letter=letter, imported=imported, requesters=requesters,
                                   flush=requesters is None).status

    def _one(self, fetched: Fetched) -> str | None:
        try:
            status = self._import(fetched)
            commit()
            return status
        except IntegrityError:  # another sync has logged it meanwhile
            db.session.rollback()
            return None
        except Exception as exc:  # any message that breaks is logged, never lost
            db.session.rollback()
            log.exception("gmail message %s of mailbox %s", fetched.gmail_id, self.mailbox_id)
            importer.record_failure(self.mailbox_id, fetched, f"{exc.__class__.__name__}: {exc}")
            commit()
            return "failed"

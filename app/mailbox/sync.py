"""Syncing one mailbox: a first full sync, then incremental syncs from the stored history id.

Full: the history id is taken from the profile first (so nothing that arrives meanwhile is
missed), then messages.list (``mailbox.query``) gives the ids, and the messages are imported
oldest first, those already logged skipped; at the end the history id becomes the
mailbox's. Incremental: history.list from
that id; the id moves on only when every added message is in the log. An expired history
(404) falls back to a full sync, which imports nothing twice (the log's unique key).

A batch of messages is one unit of work (one commit; if one message breaks it, each is
retried in its own), so a worker killed at any point loses and duplicates nothing.
Google's 429/5xx are retried a few times here with a doubling pause; past that the mailbox
waits (``retry_after``) and the next sync resumes where this one stopped. A dead refresh
token marks only this mailbox "needs reconnecting".
"""
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.db_types import utcnow
from app.extensions import db
from app.mailbox import access, labels, reconnect
from app.mailbox.batches import BatchImport
from app.mailbox.models import LogEntry, Mailbox
from app.unit_of_work import commit
from billing.gates import has_addon
from integrations.gmail import vault
from integrations.gmail.client import Gmail, GmailError, HistoryExpired, Retryable
from integrations.gmail.oauth import DeadToken
from tenants.resolve import current_tenant

log = logging.getLogger(__name__)
ATTEMPTS = 3  # tries of one call to Google inside a sync
BATCH_SIZE = 50  # messages fetched in one batch and imported in one transaction
FIRST_WAIT, MAX_WAIT = timedelta(minutes=1), timedelta(hours=1)  # between refused syncs


class Incomplete(Retryable):
    """Some messages of a page could not be fetched now; the position stays."""


@dataclass
class Result:
    mode: str = ""
    imported: int = 0
    skipped: int = 0
    failed: int = 0
    seen: int = 0
    outcome: str = "ok"
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"mode": self.mode, "imported": self.imported, "skipped": self.skipped,
                "failed": self.failed, "seen": self.seen, "outcome": self.outcome}


class Syncer(BatchImport):
    """One sync run of one mailbox; ``report(progress)`` is told after every batch, and
    ``keep_alive()`` (the lock's renewal) too."""

    def __init__(self, mailbox: Mailbox, gmail: Gmail, *, report: Callable = None,
                 keep_alive: Callable = None):
        self.mailbox, self.gmail = mailbox, gmail
        self.mailbox_id, self.mailbox_email = mailbox.id, mailbox.email
        self.report = report or (lambda progress: None)
        self.keep_alive = keep_alive or (lambda: None)
        self.result = Result()
        self.pause = float(current_app.config.get("GMAIL_BACKOFF_SECONDS", 2))

    def call(self, fn, *args, **kwargs):
        """``fn`` with a few tries on Google's 429/5xx (doubling pauses)."""
        for attempt in range(ATTEMPTS):
            try:
                return fn(*args, **kwargs)
            except Retryable:
                if attempt == ATTEMPTS - 1:
                    raise
                time.sleep(self.pause * 2 ** attempt)
        raise AssertionError("unreachable")

    def _mailbox(self) -> Mailbox:
        """The row again after a commit (the session expired it, or a rollback did)."""
        self.mailbox = db.session.get(Mailbox, self.mailbox_id)
        return self.mailbox

    # -- messages -------------------------------------------------------------------------
    def import_ids(self, ids: list[str]) -> bool:
        """Log every id not logged yet; False when some could not be fetched now."""
        if not ids:
            return True
        known = set(db.session.scalars(select(LogEntry.gmail_id).where(
            LogEntry.mailbox_id == self.mailbox_id, LogEntry.gmail_id.in_(ids))))
        todo = [gmail_id for gmail_id in ids if gmail_id not in known]
        self.result.seen += len(ids)
        if known:
            self._progress(len(known))
            commit()
        complete = True
        for start in range(0, len(todo), BATCH_SIZE):
            chunk = todo[start:start + BATCH_SIZE]
            fetched = self.call(lambda c=chunk: list(self.gmail.fetch(c)))
            ready = [f for f in fetched if not isinstance(f.error, Retryable)]
            complete = complete and len(ready) == len(fetched)
            self._batch(ready)
            self.keep_alive()
        return complete

    def _progress(self, count: int) -> None:
        """Count handled messages during a first sync (committed with them)."""
        mailbox = self._mailbox()
        if mailbox.history_id is None:
            mailbox.progress_done += count
            self.report({"done": mailbox.progress_done,
                         "total": max(mailbox.progress_total, mailbox.progress_done)})

    # -- the two kinds of sync --------------------------------------------------------------
    def full(self) -> None:
        self.result.mode = "full"
        mailbox = self._mailbox()
        if mailbox.full_sync_history_id is None:
            profile = self.call(self.gmail.profile)
            mailbox.full_sync_history_id = str(profile.get("historyId") or "")
            commit()
        query = mailbox.query or current_app.config.get("GMAIL_SYNC_QUERY", "")
        ids, page = [], None
        while True:  # ids only (a few bytes each): the letters are fetched batch by batch
            chunk, page, _estimate = self.call(self.gmail.list_ids, query=query,
                                               page_token=page)
            ids.extend(chunk)
            if not page:
                break
        ids.reverse()  # oldest first: tickets are numbered, and threads grow, as mail came
        mailbox = self._mailbox()
        mailbox.progress_done, mailbox.progress_total = 0, len(ids)
        commit()
        if not self.import_ids(ids):
            raise Incomplete("some messages could not be fetched; resuming later")
        mailbox = self._mailbox()
        mailbox.history_id = mailbox.full_sync_history_id or None
        mailbox.full_sync_history_id = None
        commit()

    def incremental(self) -> None:
        self.result.mode = "incremental"
        start, page, newest = self.mailbox.history_id, None, self.mailbox.history_id
        while True:
            ids, page, newest = self.call(self.gmail.history, start=start, page_token=page)
            if not self.import_ids(ids):
                raise Incomplete("some messages could not be fetched; resuming later")
            if not page:
                break
        mailbox = self._mailbox()
        if newest != mailbox.history_id:
            mailbox.history_id = newest
        return None

    def run(self) -> Result:
        try:
            if self.mailbox.history_id is None:
                self.full()
            else:
                try:
                    self.incremental()
                except HistoryExpired:
                    mailbox = self._mailbox()
                    mailbox.history_id = None
                    commit()
                    self.result.notes.append("history expired: full sync")
                    self.full()
            self._done()
        except DeadToken as exc:
            db.session.rollback()
            reconnect.needs_reconnecting(self._mailbox(), str(exc))
            self.result.outcome = "needs_reconnect"
        except (GmailError, vault.Unreadable) as exc:
            db.session.rollback()
            self._wait(exc)
        behind = self._mailbox().labels_behind and self.result.outcome == "ok"
        access.remember(self.mailbox, self.gmail)
        commit()
        if behind:
            labels.catch_up(self.gmail, self.mailbox_id)
        return self.result

    def _done(self) -> None:
        mailbox = self._mailbox()
        mailbox.last_sync_at, mailbox.failures, mailbox.retry_after = utcnow(), 0, None
        if mailbox.last_error:
            mailbox.last_error = ""

    def _wait(self, exc: Exception) -> None:
        """Back off: the next scheduled sync waits, twice as long after each refusal."""
        mailbox = self._mailbox()
        mailbox.failures += 1
        wait = FIRST_WAIT * 2 ** min(mailbox.failures - 1, 10)
        mailbox.retry_after = utcnow() + min(wait, MAX_WAIT)
        mailbox.last_error = str(exc)[:2000]
        self.result.outcome = "retry_later"


def sync_mailbox(mailbox_id: int, **hooks) -> Result:
    """Sync the mailbox if it is connected (in the current tenant's scope)."""
    mailbox = db.session.get(Mailbox, mailbox_id)
    if mailbox is None or mailbox.status != "connected" or not mailbox.refresh_token:
        return Result(outcome="not_connected")
    if not has_addon(current_tenant(), "gmail"):
        return Result(outcome="no_addon")
    try:
        gmail = access.gmail_for(mailbox)
    except vault.Unreadable as exc:
        reconnect.needs_reconnecting(mailbox, str(exc))
        commit()
        return Result(outcome="needs_reconnect")
    return Syncer(mailbox, gmail, **hooks).run()

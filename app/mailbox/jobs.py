"""The mailbox's jobs: a sync (one at a time per mailbox, by a Redis lock with expiry), the
minute's round of syncs, revoking a token. (A reply is sent by ``replies.send_reply_job``, a
failed message tried again by ``retry.retry_entry_job``.) Jobs take ids, safe to run twice."""
import logging

from rq import get_current_job
from sqlalchemy import select

from app.db_types import utcnow
from app.extensions import db
from app.jobs import enqueue, platform_job, redis_connection, tenant_job
from app.mailbox import sync
from app.mailbox.models import Mailbox
from integrations.gmail import oauth, vault
from tenants import context

log = logging.getLogger(__name__)
LOCK_SECONDS = 300  # renewed after every batch; a dead worker's lock lapses by itself
QUEUED_SECONDS = 600
SYNC_QUEUE = "default"


def lock_key(mailbox_id: int) -> str:
    return f"helpdesk:gmail:sync-lock:{mailbox_id}"


def queued_key(mailbox_id: int) -> str:
    return f"helpdesk:gmail:sync-queued:{mailbox_id}"


def _reporter(job):
    def report(progress: dict) -> None:
        if job is not None:
            job.meta["progress"] = progress
            job.save_meta()

    return report


@tenant_job
def sync_mailbox_job(tenant_id: int, mailbox_id: int) -> dict:
    """Sync the mailbox unless another sync of it is running (then: nothing to do)."""
    redis = redis_connection()
    redis.delete(queued_key(mailbox_id))
    lock = redis.lock(lock_key(mailbox_id), timeout=LOCK_SECONDS)
    if not lock.acquire(blocking=False):
        return {"outcome": "busy"}
    try:
        result = sync.sync_mailbox(mailbox_id, report=_reporter(get_current_job()),
                                   keep_alive=lock.reacquire)
    finally:
        try:
            lock.release()
        except Exception:  # the lock lapsed meanwhile: nothing to release
            log.warning("gmail sync lock of mailbox %s had lapsed", mailbox_id)
    return result.as_dict()


def queue_sync(tenant_id: int, mailbox_id: int) -> bool:
    """Enqueue a sync (after the commit) unless one is already waiting in the queue."""
    if not redis_connection().set(queued_key(mailbox_id), "1", nx=True, ex=QUEUED_SECONDS):
        return False
    enqueue(sync_mailbox_job, tenant_id, mailbox_id, queue_name=SYNC_QUEUE)
    return True


@platform_job
def schedule_syncs() -> int:
    """Every minute (app/schedule.py): a sync for each connected mailbox not told to wait."""
    with context.platform_scope():  # PLATFORM-WIDE: the connected mailboxes of all tenants
        due = db.session.execute(select(Mailbox.tenant_id, Mailbox.id).where(
            Mailbox.status == "connected", Mailbox.refresh_token.is_not(None),
            (Mailbox.retry_after.is_(None)) | (Mailbox.retry_after <= utcnow()))).all()
    return sum(queue_sync(tenant_id, mailbox_id) for tenant_id, mailbox_id in due)


@tenant_job
def revoke_job(tenant_id: int, sealed_token: str) -> bool:
    """Revoke a disconnected mailbox's token at Google (it arrives encrypted)."""
    try:
        return oauth.revoke(vault.decrypt(sealed_token))
    except vault.Unreadable:
        return False


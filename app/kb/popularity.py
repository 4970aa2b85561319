"""Page views without a database write per view: the public article page adds one to a
Redis hash per tenant (``HINCRBY``); a periodic job (``jobs.flush_views_job``) adds the
counts to ``kb_articles.views`` and empties the hash.

The flush is safe to repeat and to die in the middle of. It renames the tenant's hash to a
"flushing" one (new views go to a fresh hash meanwhile) stamped with a batch id; the
database records the last batch it applied in the same commit as the counts, so a batch
whose hash outlived a dead worker is dropped, not added twice. A tenant with a flushing
hash stays in a second set until that hash is gone, so none is forgotten.
"""
import logging
import uuid

from redis.exceptions import RedisError
from sqlalchemy import bindparam, select, update

from app.extensions import db
from app.jobs import redis_connection
from app.kb.models import Article, ViewBatch
from app.unit_of_work import after_commit

log = logging.getLogger(__name__)
PENDING = "kb:views:{}"
FLUSHING = "kb:views:{}:flushing"
WITH_PENDING = "kb:views:tenants"
WITH_FLUSHING = "kb:views:tenants:flushing"
BATCH = b"batch"


def count_view(tenant_id: int, article_id: int) -> None:
    """One view of an article; a Redis outage loses the view, never the page."""
    try:
        pipe = redis_connection().pipeline(transaction=False)
        pipe.hincrby(PENDING.format(tenant_id), str(article_id), 1)
        pipe.sadd(WITH_PENDING, tenant_id)
        pipe.execute()
    except RedisError:
        log.warning("a knowledge-base view was not counted (Redis unavailable)", exc_info=True)


def tenants_to_flush() -> list[int]:
    redis = redis_connection()
    members = redis.smembers(WITH_PENDING) | redis.smembers(WITH_FLUSHING)
    return sorted(int(member) for member in members)


def _take(redis, tenant_id: int) -> None:
    """Move the pending counts aside under a new batch id (unless a batch is still there)."""
    flushing = FLUSHING.format(tenant_id)
    if redis.exists(flushing):
        return
    pipe = redis.pipeline(transaction=True)
    pipe.srem(WITH_PENDING, tenant_id)
    pipe.sadd(WITH_FLUSHING, tenant_id)
    pipe.rename(PENDING.format(tenant_id), flushing)
    pipe.hsetnx(flushing, BATCH, uuid.uuid4().hex)
    pipe.execute(raise_on_error=False)  # no pending hash: RENAME fails, nothing to add


def flush_tenant(tenant_id: int) -> int:
    """Add the tenant's counted views to its articles (in the current tenant's scope, which
    must be ``tenant_id``); returns how many views were added."""
    redis = redis_connection()
    _take(redis, tenant_id)
    flushing = FLUSHING.format(tenant_id)
    counts = redis.hgetall(flushing)
    batch = (counts.pop(BATCH, b"") or b"").decode()

    def done() -> None:
        redis.delete(flushing)
        redis.srem(WITH_FLUSHING, tenant_id)

    applied = db.session.scalar(select(ViewBatch.batch))
    if not counts or not batch or batch == applied:
        after_commit(done)
        return 0
    rows = [{"article": int(key), "n": int(value)} for key, value in counts.items()
            if key.isdigit() and int(value) > 0]
    if rows:
        db.session.connection().execute(
            update(Article.__table__).where(Article.__table__.c.tenant_id == tenant_id,
                                            Article.__table__.c.id == bindparam("article"))
            .values(views=Article.__table__.c.views + bindparam("n")), rows)
    marker = db.session.get(ViewBatch, tenant_id)
    if marker is None:
        db.session.add(ViewBatch(tenant_id=tenant_id, batch=batch))
    else:
        marker.batch = batch
    after_commit(done)
    return sum(row["n"] for row in rows)

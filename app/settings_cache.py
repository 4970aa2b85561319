"""Per-tenant settings that rarely change, cached in each process across requests.

Creating a ticket reads the desk settings, routing rules, custom-field definitions, the SLA
calendar and targets and the plan's limits; they change a few times a year, so reading them
from the database on every request is wasted work. Each process keeps what it loaded in a
bounded LRU, keyed by (kind, tenant id, the tenant's settings version, the catalog version,
…). The versions live in Redis: a service that changes a setting calls ``settings_changed``,
which INCRs the version once the transaction commits, so the next request of every worker
asks for a key nobody has filled yet and loads the new values. A rolled-back change bumps
nothing.

- The versions are read once per request (memoized on ``flask.g``); a job outside a request
  reads them on every call, as its work may span changes.
- Within a transaction that changed a setting, reads bypass the cache: the new values are
  not committed yet and must not be cached under the old version.
- Values are plain data shared by every request of the process (tuples, frozen dataclasses,
  dicts that callers copy before changing) — never ORM objects, which belong to one session.
- The tenant id always comes from the tenant context, so one tenant can never be served
  another's values. The plan catalog is global: its version is part of every key.
- When Redis cannot be reached, nothing is cached: slower, never stale.
- Behind each process's LRU, the values are also kept in Redis, pickled, in one hash per
  tenant and versions (for ``SHARED_SECONDS``): a process that has not seen a tenant yet —
  a new worker after a deploy, the other workers of a busy server, a thousand tenants
  taking turns — reads all of that tenant's settings in one round trip instead of one
  query per kind. New versions are a new hash, so nothing there is ever stale; Redis is the
  app's own trusted store (the job queue pickles into it too).
"""
import logging
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from flask import current_app, g, has_request_context
from redis.exceptions import RedisError

from app.extensions import db
from app.unit_of_work import after_commit, on_rollback
from tenants import context

log = logging.getLogger(__name__)

# About ten kinds per tenant (desk settings, custom fields, routing, stop list, SLA calendar
# and targets, the plan's quota, the widget …): room for every kind of a few thousand active
# tenants per process. Too small, and a thousand tenants taking turns evict one another
# before their next request (each then reads all its settings again). Entries are small
# plain values; stale versions age out.
MAX_ENTRIES = 32768
SHARED_SECONDS = 24 * 3600  # a value in Redis outlives its last use by a day at most
CATALOG_KEY = "settings-version:catalog"
_DIRTY = "settings_changed"  # session.info: version keys changed in the open transaction
_MEMO = "_settings_versions"  # flask.g: {tenant id: versions} read by this request

_entries: OrderedDict = OrderedDict()
_pinned: ContextVar[dict | None] = ContextVar("settings_versions_pinned", default=None)
_lock = threading.Lock()  # threaded servers share the process's entries


def version_key(tenant_id: int) -> str:
    return f"settings-version:{tenant_id}"


def _read_versions(tenant_id: int) -> tuple[int, int] | None:
    try:
        tenant, catalog = current_app.extensions["redis"].mget(version_key(tenant_id),
                                                               CATALOG_KEY)
    except RedisError:
        log.warning("settings versions unavailable; reading settings uncached", exc_info=True)
        return None
    return int(tenant or 0), int(catalog or 0)


def _changed_in_transaction(tenant_id: int) -> bool:
    scoped = db.session
    if not scoped.registry.has():
        return False  # no session in this context (none is made just to ask): nothing changed
    dirty = scoped().info.get(_DIRTY)
    return bool(dirty) and (version_key(tenant_id) in dirty or CATALOG_KEY in dirty)


def _versions(tenant_id: int) -> tuple[int, int] | None:
    if _changed_in_transaction(tenant_id):
        return None
    if has_request_context():
        memo = g.setdefault(_MEMO, {})
    else:
        memo = _pinned.get()
        if memo is None:
            return _read_versions(tenant_id)
    if tenant_id not in memo:
        memo[tenant_id] = _read_versions(tenant_id)
    return memo[tenant_id]


def version_keys(tenant_id: int) -> tuple[str, str]:
    """The Redis keys of the tenant's and the catalog's versions, for a caller that reads
    them in a round trip of its own (``versions_read``)."""
    return version_key(tenant_id), CATALOG_KEY


def versions_read(tenant_id: int, tenant: bytes | None, catalog: bytes | None) -> None:
    """The values of ``version_keys`` a request read in its own round trip: the rest of the
    request (or of the ``versions_pinned`` block) uses them instead of asking again."""
    versions = int(tenant or 0), int(catalog or 0)
    if has_request_context():
        g.setdefault(_MEMO, {})[tenant_id] = versions
    elif (memo := _pinned.get()) is not None:  # inside ``versions_pinned``
        memo[tenant_id] = versions


@contextmanager
def versions_pinned():
    """Inside the block a job reads the versions once, as a request does: for a unit of work
    that handles many items (a batch of imported letters), not for a whole long job."""
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


def cached(kind: str, load: Callable, *extra):
    """``load()`` for the current tenant, from this process's cache when the tenant's settings
    have not changed since it was stored. ``extra`` adds what else the value depends on (e.g.
    the tenant's plan name). The value is shared: callers must not change it."""
    tenant_id = context.current_tenant_id()
    versions = _versions(tenant_id) if tenant_id is not None else None
    if versions is None:
        return load()
    key = (kind, tenant_id, *versions, *extra)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    field = ":".join(map(str, (kind, *extra)))
    shared = _shared(tenant_id, versions)
    value = shared.get(field, _MISSING)
    if value is _MISSING:
        value = load()
        _share(tenant_id, versions, field, value)
    _remember(key, value)
    return value


def _remember(key: tuple, value) -> None:
    with _lock:
        _entries[key] = value
        _entries.move_to_end(key)
        if len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


_MISSING = object()
_SHARED_MEMO = "_settings_shared"  # flask.g: {(tenant id, versions): values} read this request


def _shared_key(tenant_id: int, versions: tuple) -> str:
    return "settings-values:" + ":".join(map(str, (tenant_id, *versions)))


def _shared(tenant_id: int, versions: tuple) -> dict:
    """Every value of the tenant's settings at ``versions`` that a process stored in Redis,
    by field (kind and extras): one round trip per tenant and request, whatever the number
    of kinds this process has not cached yet."""
    memo = g.setdefault(_SHARED_MEMO, {}) if has_request_context() else {}
    if (tenant_id, versions) in memo:
        return memo[(tenant_id, versions)]
    values = {}
    try:
        raw = current_app.extensions["redis"].hgetall(_shared_key(tenant_id, versions))
    except RedisError:
        log.warning("shared settings unavailable; loading them", exc_info=True)
        raw = {}
    for field, data in raw.items():
        try:
            values[field.decode()] = pickle.loads(data)
        except Exception:  # a value this code can no longer read is loaded again
            log.warning("shared settings value %r unreadable", field, exc_info=True)
    memo[(tenant_id, versions)] = values
    return values


def _share(tenant_id: int, versions: tuple, field: str, value) -> None:
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        log.warning("settings value %r cannot be shared", field, exc_info=True)
        return
    name = _shared_key(tenant_id, versions)
    try:
        pipe = current_app.extensions["redis"].pipeline(transaction=False)
        pipe.hset(name, field, data)
        pipe.expire(name, SHARED_SECONDS)
        pipe.execute()
    except RedisError:
        log.warning("settings value %r not shared", field, exc_info=True)


def _bump(session, key: str) -> None:
    session.info.get(_DIRTY, set()).discard(key)
    if has_request_context():
        g.pop(_MEMO, None)  # the rest of this request reads the new version
    current_app.extensions["redis"].incr(key)


def _forget(session, key: str) -> None:
    session.info.get(_DIRTY, set()).discard(key)


def settings_changed(*, tenant_id: int | None = None, catalog: bool = False) -> None:
    """Record that a cached setting changed in the open transaction: the tenant's version
    (the current tenant unless given; ``catalog`` for the global plan catalog) goes up once
    the transaction commits, and until then this transaction reads around the cache."""
    if catalog:
        key = CATALOG_KEY
    else:
        tenant_id = tenant_id if tenant_id is not None else context.current_tenant_id()
        if tenant_id is None:
            return  # no tenant, nothing of a tenant's cached
        key = version_key(tenant_id)
    session = db.session()
    dirty = session.info.setdefault(_DIRTY, set())
    if key in dirty:
        return  # one bump per transaction is enough
    dirty.add(key)
    after_commit(partial(_bump, session, key), session=session)
    on_rollback(partial(_forget, session, key), session=session)


def clear() -> None:
    """Empty this process's cache (the versions in Redis stay)."""
    with _lock:
        _entries.clear()

"""Which tenant a widget key belongs to, remembered by the process.

A key is made with its tenant at signup and never changes hands, so once a process has
found a key's tenant (through the database's resolver, ``tenants.resolve``) it enters that
tenant again without asking: the widget's busiest requests then start with no statement at
all. A key whose tenant was deleted is forgotten as soon as its tenant's row is missed.
"""
import threading
from collections import OrderedDict

from tenants import context
from tenants.resolve import enter_tenant_for

MAX_KEYS = 65536  # a key and an id: a few MB for more tenants than a server will see

_known: OrderedDict[str, int] = OrderedDict()
_lock = threading.Lock()


def enter_by_key(key: str) -> int | None:
    """Enter the tenant of the widget ``key`` and return its id (None: no such key,
    nothing entered)."""
    if not key:
        return None
    with _lock:
        tenant_id = _known.get(key)
        if tenant_id is not None:
            _known.move_to_end(key)
    if tenant_id is not None:
        context.set_tenant(tenant_id)
        return tenant_id
    tenant_id = enter_tenant_for("tenant_by_widget_key", key)
    if tenant_id is not None:
        with _lock:
            _known[key] = tenant_id
            if len(_known) > MAX_KEYS:
                _known.popitem(last=False)
    return tenant_id


def known(key: str) -> int | None:
    """The tenant id this process remembers for ``key`` (None: not remembered; nothing is
    looked up or entered)."""
    with _lock:
        return _known.get(key)


def forget(key: str) -> None:
    """The key's tenant is gone: look it up again next time."""
    with _lock:
        _known.pop(key, None)


def clear() -> None:
    with _lock:
        _known.clear()

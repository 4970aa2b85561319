"""The staff navigation bar and the banner strip, one registry per app.

Areas add their entries and banner sources in ``init_app``; the registry lives in
``app.extensions`` and is filled once by ``create_app``, so two apps in one process never
share or double entries. The context processors in ``views_setup`` read it.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

# Entries show by ``order``, then in the order the areas register them (``AREAS``): the
# dashboard first, the agents' daily pages (orders between) right after it, the rest behind.
FIRST, LATER = 0, 100


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object  # a lazy string: translated when the bar is drawn
    roles: tuple[str, ...] | None  # None: everyone
    order: int
    # A count shown beside the label (unread messages), asked when the bar is drawn.
    badge: Callable[[], int] | None = None


@dataclass
class Navigation:
    entries: list[NavEntry] = field(default_factory=list)
    # Callables returning [{"kind": "warning", "html": Markup}] for the banner strip.
    banner_sources: list[Callable[[], list[dict]]] = field(default_factory=list)


def init_app(app) -> None:
    app.extensions["navigation"] = Navigation()


def of(app) -> Navigation:
    return app.extensions["navigation"]


def add_entry(app, endpoint: str, label, roles: tuple[str, ...] | None = None, *,
              order: int = LATER, badge: Callable[[], int] | None = None) -> None:
    entries = of(app).entries
    entries.append(NavEntry(endpoint, label, roles, order, badge))
    entries.sort(key=lambda entry: entry.order)  # stable: registration order within an order


def add_banners(app, source: Callable[[], list[dict]]) -> None:
    of(app).banner_sources.append(source)

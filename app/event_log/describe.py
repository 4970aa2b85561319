"""Events as sentences: what the event log and a ticket's history show instead of codes.

Every action the code records has a sentence in ``app.event_log.sentences`` (a test walks
the source and fails when one has none); an action missing there still reads as a sentence,
never as a dict. Ids become names through ``Names``, loaded once for the whole page.
"""
from flask import current_app
from flask_babel import gettext as _

from app.event_log.names import Names, load_names
from app.event_log.phrasing import who_of
from app.event_log.sentences import SENTENCES
from app.events.models import Event
from tenants.resolve import current_tenant


def generic_sentence(event: Event, names: Names, who: str) -> str:
    what = (event.action or "").replace(".", " ").replace("_", " ").strip()
    return _("%(who)s: %(what)s", who=who, what=what or "—")


def describe(event: Event, names: Names | None = None) -> str:
    """The event as a sentence in the page's language, e.g. "Ada Admin changed the status
    of ticket #12 from New to Open"."""
    if names is None:
        names = load_names([event], currency=_currency())
    who = who_of(event)
    try:
        return SENTENCES.get(event.action, generic_sentence)(event, names, who)
    except (KeyError, TypeError, ValueError, AttributeError):
        # A row whose data predates its sentence: still a sentence, never a crashed page.
        current_app.logger.warning("event %s (%s) has no sentence for its data", event.id,
                                   event.action, exc_info=True)
        return generic_sentence(event, names, who)


def _currency() -> str:
    tenant = current_tenant()
    return tenant.currency if tenant is not None else current_app.config["CURRENCY"]


def describe_all(events: list[Event], *, currency: str | None = None) -> dict[int, str]:
    """Sentences for a page of events, by event id; names are loaded once for all."""
    events = list(events)
    names = load_names(events, currency=currency or _currency())
    return {event.id: describe(event, names) for event in events}

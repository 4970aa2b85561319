"""The stop lists: what they may hold, reading them (cached per process), changing them, and
matching a request against them.

- an address matches the requester's e-mail exactly (case aside);
- a domain matches the requester's domain and its subdomains (``spam.example`` also stops
  ``mail.spam.example``);
- a word or phrase matches a whole word in the subject or the message, in any letter case
  (``casino`` stops "CASINO bonus", not "casinos"; ``free money`` stops "Free  money").
"""
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from app.addresses import InvalidAddress
from app.addresses import normalized as normalized_address
from app.db_types import utcnow
from app.errors import Forbidden, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.settings_cache import cached, settings_changed
from app.spam.models import StopList
from tenants import context

KINDS = ("addresses", "domains", "words")
MAX_ENTRIES = 1000  # per list
MAX_WORD = 100
_LABEL = re.compile(r"^(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?$")


@dataclass(frozen=True)
class Match:
    """Why a request is spam: the list (``addresses``, ``domains``, ``words``) and the entry."""

    kind: str
    entry: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "entry": self.entry}


@dataclass(frozen=True)
class Screen:
    """A tenant's stop lists ready for matching; plain data the process's cache shares."""

    addresses: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    pattern: re.Pattern | None = None

    def match(self, *, email: str, subject: str = "", body: str = "") -> Match | None:
        email = (email or "").strip().lower()
        if email and email in self.addresses:
            return Match("addresses", email)
        domain = email.rpartition("@")[2]
        for entry in self.domains:
            if domain == entry or domain.endswith("." + entry):
                return Match("domains", entry)
        if self.pattern is not None:
            for text in (subject or "", body or ""):
                found = self.pattern.search(text)
                if found:
                    said = " ".join(found.group(0).split()).casefold()
                    entry = next((w for w in self.words if w.casefold() == said), said)
                    return Match("words", entry)
        return None


def _pattern(words: tuple[str, ...]) -> re.Pattern | None:
    if not words:
        return None
    phrases = sorted((r"\s+".join(re.escape(part) for part in word.split()) for word in words),
                     key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)", re.IGNORECASE)


def _screen_of(addresses, domains, words) -> Screen:
    words = tuple(words)
    return Screen(tuple(addresses), tuple(domains), words, _pattern(words))


def _row() -> StopList | None:
    return db.session.get(StopList, context.current_tenant_id())


def _load() -> Screen:
    row = _row()
    if row is None:
        return Screen()
    return _screen_of(row.addresses or [], row.domains or [], row.words or [])


def current_screen() -> Screen:
    """The current tenant's stop lists (no query while they are unchanged: see
    app/settings_cache.py) — ticket creation asks on every request."""
    return cached("stop_list", _load)


def get_stop_list() -> dict:
    screen = current_screen()
    return {"addresses": list(screen.addresses), "domains": list(screen.domains),
            "words": list(screen.words)}


def _address(raw: str) -> str:
    try:
        return normalized_address(raw)
    except InvalidAddress:
        raise ValueError(_("“%(value)s” is not an e-mail address.", value=raw)) from None


def _domain(raw: str) -> str:
    domain = raw.lower().removeprefix("@").removeprefix("*.").strip(".")
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(_LABEL.match(x) for x in labels):
        raise ValueError(_("“%(value)s” is not a domain such as spam.example.", value=raw))
    return domain


def _word(raw: str) -> str:
    word = " ".join(raw.split())
    if len(word) < 2 or len(word) > MAX_WORD:
        raise ValueError(ngettext("“%(value)s”: a word or phrase of 2 to %(num)d character.",
                                  "“%(value)s”: a word or phrase of 2 to %(num)d characters.",
                                  MAX_WORD, value=raw[:40]))
    return word


CLEANERS = {"addresses": _address, "domains": _domain, "words": _word}


def clean_entries(kind: str, values) -> list[str]:
    """The list as stored: trimmed, checked, without repeats (letter case aside), in the
    order given. Raises ValueError with a message naming the first bad entry."""
    if not isinstance(values, list | tuple):
        raise ValueError(_("Expected a list."))
    out, seen = [], set()
    for raw in values:
        raw = str(raw or "").strip()
        if not raw:
            continue
        entry = CLEANERS[kind](raw)
        if entry.casefold() not in seen:
            seen.add(entry.casefold())
            out.append(entry)
    if len(out) > MAX_ENTRIES:
        raise ValueError(ngettext("At most %(num)d entry.", "At most %(num)d entries.",
                                  MAX_ENTRIES))
    return out


def update_stop_list(*, actor, addresses=None, domains=None, words=None) -> dict:
    """Replace the lists given (admin); every entry is checked first, and the event keeps
    what was added and removed."""
    if getattr(actor, "role", None) != "admin":
        raise Forbidden(_("Only an admin can change the stop lists."))
    before = get_stop_list()
    after, fields = dict(before), {}
    for kind, values in (("addresses", addresses), ("domains", domains), ("words", words)):
        if values is None:
            continue
        try:
            after[kind] = clean_entries(kind, values)
        except ValueError as exc:
            fields[kind] = str(exc)
    if fields:
        raise ValidationFailed(fields=fields)
    if after == before:
        return after
    row = _row()
    if row is None:
        row = StopList(tenant_id=context.current_tenant_id())
        db.session.add(row)
    row.addresses, row.domains, row.words = after["addresses"], after["domains"], after["words"]
    row.updated_at = utcnow()
    db.session.flush()
    settings_changed()
    changes = {kind: {"added": [e for e in after[kind] if e not in before[kind]][:50],
                      "removed": [e for e in before[kind] if e not in after[kind]][:50],
                      "count": len(after[kind])} for kind in KINDS}
    record_event(actor, "stop_list.updated", ("stop_list", context.current_tenant_id()),
                 changes)
    return after

"""Tickets as lists show them: one statement per page, plain rows instead of ORM entities.

A list page (the inbox, search, a customer's tickets, the API's list) only reads its tickets,
so it needs neither the identity map nor change tracking: ``fetch`` selects the ticket columns
with the requester's address and name and the number of the ticket a merged one went into,
and hands back ``TicketRow`` objects — a fraction of the cost of loading ``Ticket`` entities
and then their customers in a second query.
"""
import json

from sqlalchemy import Select, Text, cast, select, union_all
from sqlalchemy.orm import aliased

from app.customers.models import Customer
from app.extensions import db
from app.tickets.models import Ticket

# Every column of a ticket, under its attribute name (the API's list shows nearly all). The
# JSON columns come as their text and are parsed here: most are empty, and an empty list or
# object needs no parser (the driver's JSON loading was a fifth of a page's time).
_JSON = ("tags", "custom_fields")
_COLUMNS = tuple(cast(attr.class_attribute, Text).label(attr.key) if attr.key in _JSON
                 else attr.class_attribute for attr in Ticket.__mapper__.column_attrs)
_EMPTY = {"[]": list, "{}": dict}
# What a row shows beside them: scalar subqueries by primary key, which PostgreSQL evaluates
# only for the rows the page returns and which never change how the page is found.
_Survivor = aliased(Ticket, name="survivor")
_EXTRAS = (
    select(Customer.email).where(Customer.id == Ticket.customer_id).scalar_subquery()
    .label("requester_email"),
    select(Customer.name).where(Customer.id == Ticket.customer_id).scalar_subquery()
    .label("requester_name"),
    select(_Survivor.number).where(_Survivor.id == Ticket.merged_into_id).scalar_subquery()
    .label("merged_into_number"),
)


class Requester:
    """The requester as a list shows them."""

    __slots__ = ("email", "name")

    def __init__(self, email: str, name: str):
        self.email, self.name = email, name

    @property
    def display_name(self) -> str:
        return self.name or self.email


class TicketRow:
    """A ticket read for a list: its columns as attributes, ``customer`` (a ``Requester``)
    and ``merged_into_number``. Read-only and not tied to the session; it equals the
    ``Ticket`` with the same id, so a list can be checked for a ticket either way."""

    is_open = Ticket.is_open

    def __init__(self, values: dict):
        self.__dict__.update(values)

    def __eq__(self, other) -> bool:
        if isinstance(other, TicketRow | Ticket):
            return self.id == other.id
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"<TicketRow #{self.number}>"


def _from_json(text: str | None):
    if text is None:
        return None
    empty = _EMPTY.get(text)
    return empty() if empty else json.loads(text)


def fetch(*statements: Select, limit: int) -> list[TicketRow]:
    """The newest ``limit`` tickets of ``statements`` (``select(Ticket)`` with conditions),
    in one statement. Several statements are merged: each keeps its own ordered walk and
    selects ids only, and the columns are read once, for the page's rows (which keeps the
    statement short enough for the driver's statement cache)."""
    if len(statements) == 1:
        stmt = statements[0].with_only_columns(*_COLUMNS, *_EXTRAS)
    else:
        parts = (select(stmt.with_only_columns(Ticket.id).order_by(Ticket.id.desc())
                        .limit(limit).subquery()) for stmt in statements)
        page = union_all(*parts).subquery("page")
        stmt = select(*_COLUMNS, *_EXTRAS).join_from(page, Ticket, Ticket.id == page.c.id)
    stmt = stmt.order_by(Ticket.id.desc()).limit(limit)
    result = db.session.execute(stmt)
    keys = list(result.keys())
    rows = []
    for values in result:
        row = dict(zip(keys, values, strict=True))
        for key in _JSON:
            row[key] = _from_json(row[key])
        email, name = row.pop("requester_email"), row.pop("requester_name")
        row["customer"] = Requester(email, name) if email is not None else None
        rows.append(TicketRow(row))
    return rows

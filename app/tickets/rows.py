"""Tickets as lists show them: one statement per page, plain rows instead of ORM entities.

A list page (the inbox, search, a customer's tickets, the API's list) only reads its tickets,
so it needs neither the identity map nor change tracking: ``fetch`` selects the ticket columns
with the requester's address and name and the number of the ticket a merged one went into,
and hands back ``TicketRow`` objects — a fraction of the cost of loading ``Ticket`` entities
and their customers in a second query. The page is chosen in a subquery with its own LIMIT,
so the joins are made for those rows only and never change how the page is found.
"""
from sqlalchemy import Select, select, union_all
from sqlalchemy.orm import aliased

from app.customers.models import Customer
from app.extensions import db
from app.tickets.models import Ticket

# Every column of a ticket, under its attribute name (the API's list shows nearly all).
_COLUMNS = tuple(attr.class_attribute for attr in Ticket.__mapper__.column_attrs)
_Survivor = aliased(Ticket, name="survivor")


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


def fetch(*statements: Select, limit: int) -> list[TicketRow]:
    """The newest ``limit`` tickets of ``statements`` (``select(Ticket)`` with conditions;
    several are merged, each walked on its own), in one statement. The walks select ids only
    and the columns are read once, for the page's rows: the statement stays short enough for
    the driver's statement cache."""
    parts = [stmt.with_only_columns(Ticket.id).order_by(Ticket.id.desc()).limit(limit)
             for stmt in statements]
    if len(parts) == 1:
        page = parts[0].subquery("page")
    else:  # each part keeps its own ordered walk; the union is at most len × limit ids
        page = union_all(*(select(part.subquery()) for part in parts)).subquery("page")
    stmt = (select(*_COLUMNS, Customer.email.label("requester_email"),
                   Customer.name.label("requester_name"),
                   _Survivor.number.label("merged_into_number"))
            .select_from(page).join(Ticket, Ticket.id == page.c.id)
            .outerjoin(Customer, Customer.id == Ticket.customer_id)
            .outerjoin(_Survivor, _Survivor.id == Ticket.merged_into_id)
            .order_by(Ticket.id.desc()).limit(limit))
    result = db.session.execute(stmt)
    keys = list(result.keys())
    rows = []
    for values in result:
        row = dict(zip(keys, values, strict=True))
        email, name = row.pop("requester_email"), row.pop("requester_name")
        row["customer"] = Requester(email, name) if email is not None else None
        rows.append(TicketRow(row))
    return rows

"""Tickets as lists show them: one statement per page, plain rows instead of ORM entities.

A list page (the inbox, search, a customer's tickets, the API's list) only reads its tickets,
so it needs neither the identity map nor change tracking: ``fetch`` selects the ticket columns
with the requester's address and name and the number of the ticket a merged one went into,
and hands back ``TicketRow`` objects — a fraction of the cost of loading ``Ticket`` entities
and then their customers in a second query.

The service's own lists go further (``prepared`` and ``run``): their statement is built once
per shape of filters, with named parameters, and run on the session's connection with the
values, the tenant named in every table it reads (it bypasses the ORM's tenant guard, which
would rebuild it; row-level security still applies). On PostgreSQL it runs straight on that
connection's driver (``app.tickets.driver``): compiled once, prepared on the server, tuples
out, and the rows built from the tuples here.
"""
import json

from sqlalchemy import (
    BigInteger,
    Connection,
    Integer,
    Select,
    Text,
    bindparam,
    cast,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from app.customers.models import Customer
from app.extensions import db
from app.tickets import driver
from app.tickets.models import Ticket
from tenants import context

# Every column of a ticket, under its attribute name (the API's list shows nearly all). The
# JSON columns come as their text and are parsed here: most are empty, and an empty list or
# object needs no parser (the driver's JSON loading was a fifth of a page's time).
_JSON = ("tags", "custom_fields")
_COLUMNS = tuple(cast(attr.class_attribute, Text).label(attr.key) if attr.key in _JSON
                 else attr.class_attribute for attr in Ticket.__mapper__.column_attrs)
# What a row shows beside them: scalar subqueries by primary key, which PostgreSQL evaluates
# only for the rows the page returns and which never change how the page is found.
_Survivor = aliased(Ticket, name="survivor")
_REQUESTER = ("requester_email", "requester_name")


def _extras(scoped) -> tuple:
    """The merge target and requester columns (the requester's last: ``_built`` reads
    them by position); ``scoped(table)``: conditions on each table."""
    return (
        select(_Survivor.number).where(_Survivor.id == Ticket.merged_into_id,
                                       *scoped(_Survivor))
        .scalar_subquery().label("merged_into_number"),
        select(Customer.email).where(Customer.id == Ticket.customer_id, *scoped(Customer))
        .scalar_subquery().label(_REQUESTER[0]),
        select(Customer.name).where(Customer.id == Ticket.customer_id, *scoped(Customer))
        .scalar_subquery().label(_REQUESTER[1]),
    )


_EXTRAS = _extras(lambda table: ())
# The tenant of a prepared statement: a parameter that ``run`` fills in.
TENANT = bindparam("tenant_id", type_=BigInteger)
_TENANT_EXTRAS = _extras(lambda table: (table.tenant_id == TENANT,))
_LIMIT = bindparam("limit", type_=Integer)


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
        self.__dict__ = values

    def __eq__(self, other) -> bool:
        if isinstance(other, TicketRow | Ticket):
            return self.id == other.id
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"<TicketRow #{self.number}>"


def _built(keys: tuple, found) -> list[TicketRow]:
    """``TicketRow``s of a page's rows (tuples of the columns named by ``keys``, the
    requester's address and name last). A JSON column's text is parsed once per page (a
    page's tags are a handful of distinct lists; an empty one needs no parser at all), and
    each row gets its own copy."""
    if keys[-2:] != _REQUESTER:
        raise ValueError(f"a page's last columns are {_REQUESTER}, not {keys[-2:]}")
    columns = keys[:-2]
    parsed: dict = {"[]": [], "{}": {}}
    rows = []
    append, new, loads = rows.append, TicketRow.__new__, json.loads
    for values in found:
        row = dict(zip(columns, values))  # noqa: B905 - the requester's columns stay out
        for key in _JSON:
            text = row[key]
            if text is not None:
                value = parsed.get(text)
                if value is None:
                    value = parsed[text] = loads(text)
                row[key] = value.copy() if isinstance(value, list | dict) else value
        email = values[-2]
        row["customer"] = Requester(email, values[-1]) if email is not None else None
        ticket = new(TicketRow)
        ticket.__dict__ = row
        append(ticket)
    return rows


def _rows(result) -> list[TicketRow]:
    return _built(tuple(result.keys()), result.all())  # one fetch for the page


def fetch(*statements: Select, limit: int, values: dict | None = None) -> list[TicketRow]:
    """The newest ``limit`` tickets of ``statements`` (``select(Ticket)`` with conditions;
    ``values`` for their named parameters), in one statement. Several statements are merged:
    each keeps its own ordered walk and selects ids only, and the columns are read once, for
    the page's rows (which keeps the statement short enough for the driver's statement
    cache)."""
    if len(statements) == 1:
        stmt = statements[0].with_only_columns(*_COLUMNS, *_EXTRAS)
    else:
        parts = (select(stmt.with_only_columns(Ticket.id).order_by(Ticket.id.desc())
                        .limit(limit).subquery()) for stmt in statements)
        page = union_all(*parts).subquery("page")
        stmt = select(*_COLUMNS, *_EXTRAS).join_from(page, Ticket, Ticket.id == page.c.id)
    stmt = stmt.order_by(Ticket.id.desc()).limit(limit)
    return _rows(db.session.execute(stmt, values))


def prepared(where: list, *walks, outer: tuple = ()) -> Select:
    """The page statement of ``where`` (conditions with named parameters, the tenant's among
    them), newest first, ``:limit`` rows; with ``walks``, one ordered walk of ids per extra
    condition, merged (as ``fetch`` merges statements); ``outer``: conditions of the page
    statement itself. Built once per shape; ``run`` runs it."""
    if not walks:
        stmt = select(*_COLUMNS, *_TENANT_EXTRAS).where(*where)
    else:
        parts = (select(select(Ticket.id).where(*where, walk).order_by(Ticket.id.desc())
                        .limit(_LIMIT).subquery()) for walk in walks)
        page = union_all(*parts).subquery("page")
        stmt = (select(*_COLUMNS, *_TENANT_EXTRAS).join_from(page, Ticket, Ticket.id == page.c.id)
                .where(Ticket.tenant_id == TENANT))
    return stmt.where(*outer).order_by(Ticket.id.desc()).limit(_LIMIT)


def reading() -> Connection:
    """The session's connection, after writing what the session holds (as the ORM's
    autoflush would before a query)."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection()


def run(stmt: Select, values: dict, *, limit: int, connection: Connection | None = None,
        generic: bool = False) -> list[TicketRow]:
    """The rows of a ``prepared`` statement for ``values`` and the current tenant (none: no
    rows), on the session's connection (``connection``: the one ``reading`` just gave). On
    PostgreSQL, straight on the driver (``app.tickets.driver``; ``generic``: on the
    statement's generic plan)."""
    if connection is None:
        connection = reading()
    params = {**values, "tenant_id": context.current_tenant_id(), "limit": limit}
    if driver.direct(connection):
        return _built(*driver.fetch(connection, stmt, params, generic=generic))
    return _rows(connection.execute(stmt, params))

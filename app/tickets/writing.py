"""Writing a new ticket: its number, the ticket, its first message and its search document.

Every channel's new ticket comes through here, so it is the hottest write of the product.
On PostgreSQL it is one statement of data-modifying CTEs (the tenant's counter, the ticket,
the message and the search document, each reading the one before), and the new ticket and
message enter the session as if just loaded — nothing left to flush, nothing to read back.
A caller may add ``Companion`` rows that belong to the new ticket (a portal link, a pending
completion): they join the same statement. The embedded default (SQLite, no
data-modifying CTEs) takes the ORM's way: a number, a flush of both rows, the companions,
then the search index.
"""
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import Table, bindparam, column, insert, literal_column, select, table, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import make_transient_to_detached

from app.extensions import db
from app.tickets import search
from app.tickets.models import Message, Ticket, ticket_counters
from app.tickets.numbering import next_ticket_number
from tenants import context

_search_table = table("ticket_search", column("ticket_id"), column("tenant_id"),
                      column("document"))
_TICKET_SET_HERE = {"id", "number"}
_MESSAGE_SET_HERE = {"id", "ticket_id"}



@dataclass(frozen=True)
class Companion:
    """A row of another table written with the new ticket, in the same statement: its
    ``ticket_id`` and ``tenant_id`` are the new ticket's, so are the columns named in
    ``from_ticket`` (e.g. ``customer_id``); the others come from ``values``."""

    table: Table
    values: dict = field(hash=False)
    from_ticket: tuple[str, ...] = ()

    @property
    def shape(self) -> tuple:
        return self.table, tuple(self.values), self.from_ticket


def _columns(model, skip: set) -> list:
    return [c for c in model.__table__.columns if c.key not in skip]


@cache
def _statement(index: bool = True, companions: tuple = (), reserved: bool = False):
    """The one statement for ``index`` (write the search document), the companions'
    shapes and ``reserved`` (the id and number were reserved beforehand from the same
    sequence and counter: they are parameters) — built once per shape; SQLAlchemy caches
    its compiled form."""
    counters = ticket_counters.c
    tickets, messages = Ticket.__table__, Message.__table__
    given = []
    if reserved:
        number = bindparam("number", type_=counters.last_number.type)
        given = [bindparam("id", type_=tickets.c.id.type)]
    else:
        number = (pg_insert(ticket_counters)
                  .values(tenant_id=bindparam("tenant_id"), last_number=1)
                  .on_conflict_do_update(index_elements=[counters.tenant_id],
                                         set_={"last_number": counters.last_number + 1})
                  .returning(counters.last_number).cte("new_number")).c.last_number
    ticket_columns = _columns(Ticket, _TICKET_SET_HERE)
    ticket = (insert(tickets).from_select(
        ["id"] * bool(given) + ["number", *[c.name for c in ticket_columns]],
        select(*given, number,
               *[bindparam(f"t_{c.key}", type_=c.type) for c in ticket_columns]))
        .returning(tickets.c.id, tickets.c.number, tickets.c.tenant_id, tickets.c.subject,
                   tickets.c.customer_id)
        .cte("new_ticket"))
    message_columns = _columns(Message, _MESSAGE_SET_HERE)
    message = (insert(messages).from_select(
        ["ticket_id", *[c.name for c in message_columns]],
        select(ticket.c.id, *[bindparam(f"m_{c.key}", type_=c.type) for c in message_columns]))
        .returning(messages.c.id, messages.c.body_text).cte("new_message"))
    extra = []
    if index:
        document = literal_column(search.document_sql(
            "new_ticket.subject", "new_message.body_text", "new_ticket.tenant_id"))
        extra.append(insert(_search_table).from_select(
            ["ticket_id", "tenant_id", "document"],
            select(ticket.c.id, ticket.c.tenant_id, document)
            .select_from(ticket.join(message, true())))
            .cte("new_search"))
    for n, (other, names, from_ticket) in enumerate(companions):
        extra.append(insert(other).from_select(
            ["ticket_id", "tenant_id", *from_ticket, *names],
            select(ticket.c.id, ticket.c.tenant_id, *[ticket.c[name] for name in from_ticket],
                   *[bindparam(f"c{n}_{name}", type_=other.c[name].type) for name in names]))
            .cte(f"new_companion_{n}"))
    return (select(ticket.c.id, ticket.c.number, message.c.id.label("message_id"))
            .select_from(ticket.join(message, true())).add_cte(*extra))


def _complete(obj, skip: set) -> dict:
    """Give every column attribute of the new ``obj`` not set by its caller its default (the
    column's Python default, else None) and return the values by column key."""
    values = {}
    for c in _columns(type(obj), skip):
        if c.key not in obj.__dict__:
            default = c.default
            if default is None:
                value = None
            elif default.is_callable:
                value = default.arg(None)
            else:
                value = default.arg
            setattr(obj, c.key, value)
        values[c.key] = getattr(obj, c.key)
    return values


def _as_loaded(obj) -> None:
    make_transient_to_detached(obj)  # as if read by a query: persistent, nothing to write
    db.session.add(obj)


def write_new_ticket(ticket: Ticket, message: Message, *, companions: tuple = (),
                     index: bool = True) -> None:
    """Store the new (transient) ``ticket`` with its first ``message`` and the
    ``companions``: both get their ids and the ticket its number, both are in the session,
    and (with ``index``) the ticket is searchable; without, ``search.reindex`` is the
    caller's to run later."""
    tenant_id = context.current_tenant_id()
    if ticket.tenant_id is None:
        ticket.tenant_id = tenant_id
    if message.tenant_id is None:
        message.tenant_id = tenant_id
    # Reserved beforehand (the widget's lean intake): the id and number are given.
    reserved = ticket.id is not None and ticket.number is not None
    if db.session.get_bind().dialect.name != "postgresql":
        if not reserved:
            ticket.number = next_ticket_number(tenant_id)
        message.ticket = ticket
        db.session.add_all((ticket, message))
        db.session.flush()
        for companion in companions:
            db.session.execute(insert(companion.table).values(
                ticket_id=ticket.id, tenant_id=tenant_id, **companion.values,
                **{name: getattr(ticket, name) for name in companion.from_ticket}))
        if index:
            search.reindex(ticket)
        return
    params = {"tenant_id": tenant_id}
    if reserved:
        params.update(id=ticket.id, number=ticket.number)
    params.update({f"t_{key}": value for key, value in _complete(ticket, _TICKET_SET_HERE).items()})
    params.update({f"m_{key}": value
                   for key, value in _complete(message, _MESSAGE_SET_HERE).items()})
    for n, companion in enumerate(companions):
        params.update({f"c{n}_{name}": value for name, value in companion.values.items()})
    statement = _statement(index, tuple(companion.shape for companion in companions),
                           reserved)
    # On the connection: a Core statement, nothing pending needs flushing before it.
    row = db.session.connection().execute(statement, params).one()
    ticket.id, ticket.number = row.id, row.number
    message.id, message.ticket_id = row.message_id, row.id
    _as_loaded(ticket)
    _as_loaded(message)

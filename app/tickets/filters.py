"""The inbox's filters as a plan: which conditions a list applies (its shape) and the values
they compare with, apart.

The shape is small and hashable, so a list's statement is built and compiled once per shape
and then only run with new values (``app.tickets.listing``): building a statement
and working out its cache key cost more than running it. ``conditions`` turns a shape into
WHERE conditions with named parameters; given the values, it binds them, which is the plain
``select(Ticket)`` that ``listing.ticket_query`` hands to callers who add to it.
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import BigInteger, Text, bindparam, cast, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB

from app.customers.models import Customer
from app.db_types import UtcDateTime
from app.staff.models import Staff
from app.tickets import display
from app.tickets.access import department_rights, sees_all
from app.tickets.constants import PRIORITIES, STATUSES, TYPES
from app.tickets.models import Ticket
from app.tickets.validation import check_choice

# Flags that hide their tickets by default: False hides them, True shows only them, None both.
FLAGS = ("deferred", "spam", "deleted", "archived")
# Conditions no index walks in id order: a page under them tests ticket after ticket, which
# the planner may hand to parallel workers (see ``Plan.tested``).
TESTED = ("priority", "type", "tag", "organization_id", "escalation_level", "due_by")


@dataclass(frozen=True)
class Plan:
    """What a list asks for: ``shape`` (the conditions, without values; hashable) and
    ``values`` (by parameter name). ``statuses`` > 1: the page walks each status on its own
    (see ``listing.page``); ``q``: a full-text search."""

    shape: tuple
    values: dict = field(compare=False)
    statuses: int = 0
    q: str | None = None

    @property
    def tested(self) -> bool:
        """Whether a page walks the tenant's tickets testing a condition on each (``TESTED``)."""
        return any((part[0] if isinstance(part, tuple) else part) in TESTED
                   for part in self.shape)


def chosen_name(name: str, index: int) -> str:
    """The parameter of the ``index``-th value chosen for ``name`` (no underscore before the
    number: SQLAlchemy names its anonymous parameters ``<column>_<n>``)."""
    return f"{name}{index}"


def _as_list(name: str, value, allowed: tuple) -> list[str]:
    if value is None or value == [] or value == "":
        return []
    values = value if isinstance(value, list | tuple) else str(value).split(",")
    checked = [check_choice(name, v.strip(), allowed) for v in values]
    return list(dict.fromkeys(checked))  # a value asked for twice is one condition


def plan(staff: Staff, *, status=None, priority=None, type=None,
         department_id: int | None = None, assignee_id: int | None = None,
         unassigned: bool = False, tag: str | None = None,
         requester_email: str | None = None, customer_id: int | None = None,
         organization_id: int | None = None, deferred: bool | None = False,
         deleted: bool | None = False, archived: bool | None = False,
         spam: bool | None = False, q: str | None = None,
         escalation_level: int | None = None, department_ids: list[int] | None = None,
         due_by: datetime | None = None) -> Plan:
    """The plan of ``ticket_query``'s filters for what ``staff`` may see. ``status``/
    ``priority``/``type`` take one value, a list, or a comma-separated string; unknown values
    are a 422. ``department_ids``: only these departments' tickets; ``due_by``: open tickets
    past a due time or reaching one by then (``display.due_by``)."""
    shape: list = []
    values: dict = {}
    if not sees_all(staff):
        departments = list(department_rights(staff))
        shape.append("departments" if departments else "unsorted")
        values["departments"] = departments
    statuses = _as_list("status", status, STATUSES)
    for name, chosen in (("status", statuses),
                         ("priority", _as_list("priority", priority, PRIORITIES)),
                         ("type", _as_list("type", type, TYPES))):
        if chosen:
            shape.append((name, len(chosen)))
            values.update({chosen_name(name, i): value for i, value in enumerate(chosen)})
    for name, value in (("department_id", department_id), ("customer_id", customer_id),
                        ("organization_id", organization_id),
                        ("escalation_level", escalation_level)):
        if value is not None:
            shape.append(name)
            values[name] = value
    if department_ids is not None:
        shape.append("department_ids")
        values["department_ids"] = list(department_ids)
    if due_by is not None:
        shape.append("due_by")
        values["due_by"] = due_by
    if unassigned:
        shape.append("unassigned")
    elif assignee_id is not None:
        shape.append("assignee_id")
        values["assignee_id"] = assignee_id
    if tag:
        shape.append("tag")
        values["tag"] = tag.strip().lower()
    if requester_email:
        shape.append("requester_email")
        values["requester_email"] = requester_email.strip().lower()
    flags = {"deferred": deferred, "spam": spam, "deleted": deleted, "archived": archived}
    shape.extend((name, flags[name]) for name in FLAGS if flags[name] is not None)
    q = q.strip() if q and q.strip() else None
    return Plan(tuple(shape), values, statuses=len(statuses), q=q)


def _param(name: str, values: dict | None, **kwargs):
    if values is None:
        return bindparam(name, **kwargs)
    # Bound: a unique name, so statements built from two plans can be combined.
    return bindparam(name, values[name], unique=True, **kwargs)


def _has_tag(tag, dialect: str):
    if dialect == "postgresql":
        return Ticket.tags.cast(JSONB).contains(func.jsonb_build_array(cast(tag, Text)))
    each = func.json_each(Ticket.tags).table_valued("value")
    return exists(select(literal(1)).select_from(each).where(each.c.value == tag))


def _flag(name: str, wanted: bool):
    if name in ("deferred", "spam"):
        column = getattr(Ticket, name)
        return column if wanted else ~column
    column = getattr(Ticket, f"{name}_at")
    return column.is_not(None) if wanted else column.is_(None)


def conditions(shape: tuple, dialect: str, values: dict | None = None, *,
               tenant=None) -> list:
    """The WHERE conditions of ``shape``, in its order: with named parameters, or bound to
    ``values``. ``tenant``: a parameter for the tenant, named in the conditions that read
    another table (for statements that run without the ORM's tenant guard)."""
    where = []
    for part in shape:
        name = part[0] if isinstance(part, tuple) else part
        if part == "departments":
            where.append(or_(Ticket.department_id.is_(None), Ticket.department_id.in_(
                _param("departments", values, expanding=True))))
        elif part == "unsorted":
            where.append(Ticket.department_id.is_(None))
        elif part == "department_ids":
            where.append(Ticket.department_id.in_(
                _param("department_ids", values, expanding=True)))
        elif part == "due_by":
            where.extend(display.due_by(_param("due_by", values, type_=UtcDateTime())))
        elif name in ("status", "priority", "type"):
            column, count = getattr(Ticket, name), part[1]
            named = [_param(chosen_name(name, i), values) for i in range(count)]
            where.append(column == named[0] if count == 1 else column.in_(named))
        elif name in FLAGS:
            where.append(_flag(name, part[1]))
        elif part == "unassigned":
            where.append(Ticket.assignee_id.is_(None))
        elif part == "tag":
            where.append(_has_tag(_param("tag", values), dialect))
        elif part == "requester_email":
            requesters = select(Customer.id).where(
                Customer.email == _param("requester_email", values))
            if tenant is not None:
                requesters = requesters.where(Customer.tenant_id == tenant)
            where.append(Ticket.customer_id.in_(requesters))
        else:  # a column equal to a value of the same name
            where.append(getattr(Ticket, part) == _param(part, values, type_=BigInteger))
    return where

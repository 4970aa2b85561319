"""Rows read or written with a Core statement, entering the session as if the ORM had
loaded them: persistent, with nothing to write and nothing left to read.

The hottest paths (an API token's identity, a new requester, a new ticket) spend most of
their time in the ORM's machinery for one row; a Core statement plus ``loaded`` gives the
same objects for a fraction of it. Every column attribute must be given: one left out
would be read back by a hidden query the first time it is used.
"""
from sqlalchemy import inspect
from sqlalchemy.orm import make_transient_to_detached

from app.extensions import db


def columns_of(model) -> list:
    """(attribute key, Column) of ``model``'s column attributes, in mapper order."""
    return [(prop.key, prop.columns[0]) for prop in inspect(model).column_attrs]


def labelled(model, prefix: str) -> list:
    """The columns of ``model`` labelled ``<prefix><attribute key>``, for a Core select
    whose rows ``split`` hands back to ``loaded``."""
    return [column.label(f"{prefix}{key}") for key, column in columns_of(model)]


def split(row, prefix: str) -> dict:
    """The values of a row's ``<prefix>…`` columns, by attribute key."""
    return {key[len(prefix):]: value for key, value in row._mapping.items()
            if key.startswith(prefix)}


def attach(obj):
    """Put the new object ``obj``, whose every column attribute is set (its id included), into
    the session as loaded. An object already there under the same identity wins (it may hold
    changes of this unit of work) and is returned instead."""
    make_transient_to_detached(obj)
    session = db.session()
    key = inspect(obj).key
    present = session.identity_map.get(key)
    if present is not None:
        return present
    session.add(obj)
    return obj


def loaded(model, values: dict):
    """A ``model`` object with ``values`` (all its column attributes), attached as loaded.
    The values go straight into the object's state, as the ORM's own loading puts them: no
    constructor, no attribute events, no history — nothing of it is a change to write."""
    obj = inspect(model).class_manager.new_instance()
    obj.__dict__.update(values)
    return attach(obj)

"""Bounds on what one API request may carry.

Every list, map and string in a request model is bounded, so no request can make the
server build an unbounded query (a psycopg statement takes at most 65,535 parameters)
or hold an unbounded structure. The bounds are generous: the services apply the real
business rules (20 tags, the tenant's own attachment count) with clearer messages.
"""
from typing import Annotated

from flask_babel import gettext as _
from flask_babel import ngettext
from pydantic import Field, PlainValidator

MAX_JSON_DEPTH = 32  # the deepest request model nests 4 levels
INT64 = 2**63 - 1  # ids and counters are BIGINT; a larger number names nothing

MAX_ITEMS = 100  # entries in a list: tags, ids, domains, options, words, rights
MAX_ATTACHMENTS = 50  # attachment ids on one message (the highest ``max_files`` rule)
MAX_FIELDS = 100  # keys in a map of custom field values
MAX_TYPES = 200  # file types in the attachment rules
MAX_WEEKDAYS = 7
MAX_OPENINGS = 24  # opening intervals in one weekday

MAX_CHOICE = 40  # a value from a fixed vocabulary: status, priority, channel, language
MAX_KEY = 64  # a custom field key
MAX_TIME = 8  # "HH:MM"
MAX_NAME = 200  # names, labels, one-line values
MAX_EMAIL = 254
MAX_MIME = 255  # RFC 6838: type/subtype, 127 characters each
MAX_CURSOR = 64
MAX_SUBJECT = 500
MAX_TEXT = 2000  # a custom field's text value
MAX_BODY = 200_000  # a message body

Choice = Annotated[str, Field(max_length=MAX_CHOICE)]
Name = Annotated[str, Field(max_length=MAX_NAME)]
Email = Annotated[str, Field(max_length=MAX_EMAIL)]
# An address (the services check it); the format tells clients and generated tests so.
EmailAddress = Annotated[str, Field(max_length=MAX_EMAIL, json_schema_extra={"format": "email"})]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
FieldKey = Annotated[str, Field(max_length=MAX_KEY)]


def scalar(max_length: int):
    """Text of at most ``max_length`` characters, a number, true, false or null, with one
    error naming the field (a plain union reports one error per type it failed to be)."""
    def check(value):
        if value is None or isinstance(value, bool | int | float):
            return value
        if not isinstance(value, str):
            raise ValueError(_("Expected text, a number, true or false."))
        if len(value) > max_length:
            raise ValueError(ngettext("Enter at most %(num)d character.",
                                      "Enter at most %(num)d characters.", max_length))
        return value

    accepted = Annotated[str, Field(max_length=max_length)] | bool | int | float | None
    return Annotated[accepted, PlainValidator(check, json_schema_input_type=accepted)]


FieldValue = scalar(MAX_TEXT)
